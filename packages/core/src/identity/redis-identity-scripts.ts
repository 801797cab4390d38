// Lua, so that every check-then-write is atomic across processes. Keys (prefix `p`):
//   p..'ref:'..system      hash  id key → canonical id         (resolve a system id)
//   p..'entity:'..canonical hash  'system:key' → id as linked (the entity's links)
//   p..'journal'            hash  journal id → JSON change set   (undo)
// Keys are built inside the scripts, so on Redis Cluster the prefix must carry a hash tag
// (e.g. `{junction}:identity:`) to keep them in one slot.

/** ARGV: prefix, journal id or '', then (system, key, id, from, to) per change, '' meaning none. */
export const APPLY_SCRIPT = `
local p = ARGV[1]
local conflicts = {}
local effective = {}
for b = 3, #ARGV, 5 do
  local current = redis.call('HGET', p .. 'ref:' .. ARGV[b], ARGV[b + 1]) or ''
  if current ~= ARGV[b + 4] then
    if current ~= ARGV[b + 3] then
      conflicts[#conflicts + 1] = ARGV[b]
      conflicts[#conflicts + 1] = ARGV[b + 2]
      conflicts[#conflicts + 1] = current
      conflicts[#conflicts + 1] = ARGV[b + 4]
    else
      effective[#effective + 1] = b
    end
  end
end
if #conflicts > 0 then return { 0, conflicts } end
local journal = {}
local applied = {}
for _, b in ipairs(effective) do
  local system, key, id, from, to = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4]
  local field = system .. ':' .. key
  local stored = id
  if from ~= '' then
    local entity = p .. 'entity:' .. from
    stored = redis.call('HGET', entity, field) or id
    redis.call('HDEL', entity, field)
  end
  if to == '' then
    redis.call('HDEL', p .. 'ref:' .. system, key)
  else
    redis.call('HSET', p .. 'ref:' .. system, key, to)
    redis.call('HSET', p .. 'entity:' .. to, field, stored)
  end
  journal[#journal + 1] = { system, id, from, to }
  applied[#applied + 1] = (b - 3) / 5
end
if ARGV[2] ~= '' then
  redis.call('HSET', p .. 'journal', ARGV[2], cjson.encode(journal))
end
return { 1, applied }
`

/**
 * ARGV: prefix, then (system, key) per ref. Replies per ref: the canonical id ('' if unlinked), then
 * the entity's HGETALL, or 0 when that entity was already sent earlier in this reply.
 */
export const RESOLVE_SCRIPT = `
local p = ARGV[1]
local out = {}
local sent = {}
for i = 2, #ARGV, 2 do
  local canonical = redis.call('HGET', p .. 'ref:' .. ARGV[i], ARGV[i + 1])
  if canonical then
    out[#out + 1] = canonical
    if sent[canonical] then
      out[#out + 1] = 0
    else
      sent[canonical] = true
      out[#out + 1] = redis.call('HGETALL', p .. 'entity:' .. canonical)
    end
  else
    out[#out + 1] = ''
    out[#out + 1] = 0
  end
end
return out
`

/** ARGV: prefix, system, key. Replies the canonical id the ref was linked to, or ''. */
export const UNLINK_SCRIPT = `
local p = ARGV[1]
local canonical = redis.call('HGET', p .. 'ref:' .. ARGV[2], ARGV[3])
if not canonical then return '' end
redis.call('HDEL', p .. 'ref:' .. ARGV[2], ARGV[3])
redis.call('HDEL', p .. 'entity:' .. canonical, ARGV[2] .. ':' .. ARGV[3])
return canonical
`
