import { XMLBuilder, XMLParser } from 'fast-xml-parser'

/** The SOAP-RFC namespace of function modules (sheet §7.2). */
export const RFC_NAMESPACE = 'urn:sap-com:document:sap:rfc:functions'

/** The SOAP 1.1 envelope namespace. */
export const SOAP_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/'

/** Parses SOAP XML by local names, every value as text (ABAP values are typed by their fields). */
export const soapParser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'item',
})

/** Writes SOAP XML with entities escaped. */
export const soapBuilder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: true,
})
