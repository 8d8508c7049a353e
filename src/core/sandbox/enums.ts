/**
 * Enum tables for the fields whose values the sandbox writes as `Enum…` names: index -> name, so
 * that `document_status eq '2'` matches `EnumDocumentStatusComplete` as on a Sage 200 site.
 */
export const ENUM_VALUES: Readonly<Record<string, readonly string[]>> = {
  document_status: ['EnumDocumentStatusLive', 'EnumDocumentStatusOnHold', 'EnumDocumentStatusComplete', 'EnumDocumentStatusDisputed', 'EnumDocumentStatusCancelled'],
  account_status_type: ['EnumAccountStatusActive', 'EnumAccountStatusOnHold', 'EnumAccountStatusInactive'],
  product_status_type: ['EnumStockItemStatusTypeActive', 'EnumStockItemStatusTypeInactive'],
  line_type: ['EnumLineTypeStandard', 'EnumLineTypeFreeText', 'EnumLineTypeCharge', 'EnumLineTypeComment'],
};
