/**
 * Legal-form designations folded away when comparing organisation names, as token sequences after
 * folding (`S.A.` → `sa`, `B.V.` → `bv`, `GmbH & Co. KG` → `gmbh`, `and`, `co`, `kg`: each stripped
 * in turn from the end). Jurisdictions: DE/AT/CH, FR/BE, UK/IE, US/CA, NL, IT, ES, JP, plus the
 * Nordic, Polish, Czech and Australian forms met most often.
 */
export const LEGAL_SUFFIXES: readonly string[] = [
  // DE / AT / CH
  'gmbh',
  'mbh',
  'ggmbh',
  'ag',
  'kg',
  'kgaa',
  'ohg',
  'gbr',
  'ug',
  'ug haftungsbeschrankt',
  'haftungsbeschrankt',
  'ev',
  'eg',
  'se',
  // FR / BE
  'sa',
  'sas',
  'sasu',
  'sarl',
  'eurl',
  'sci',
  'snc',
  'sca',
  'scop',
  'sprl',
  'bvba',
  // UK / IE
  'ltd',
  'limited',
  'plc',
  'llp',
  'lp',
  'cic',
  'dac',
  // US / CA
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'llc',
  'lllp',
  'pllc',
  'pc',
  'ulc',
  // NL
  'bv',
  'nv',
  'vof',
  'cv',
  // IT
  'srl',
  'srls',
  'spa',
  'sapa',
  'scarl',
  // ES
  'sl',
  'slu',
  'sau',
  'sll',
  'scoop',
  'sociedad anonima',
  'sociedad limitada',
  // JP (romanized; the kanji forms are removed before tokenizing)
  'kk',
  'kabushiki kaisha',
  'kabushikigaisha',
  'gk',
  'godo kaisha',
  'yk',
  'yugen kaisha',
  // Nordic, PL, CZ, AU
  'ab',
  'as',
  'asa',
  'aps',
  'oy',
  'oyj',
  'sp zoo',
  'sro',
  'pty',
]

/** Japanese legal forms written in kanji, removed wherever they stand (before or after the name). */
export const JAPANESE_LEGAL_FORMS: readonly string[] = [
  '株式会社',
  '有限会社',
  '合同会社',
  '合資会社',
  '合名会社',
  '(株)',
  '(有)',
]
