/**
 * What public sources show about the values of Sage 200's enum fields. Sage's OpenAPI files have no
 * enum lists: a few fields give a `default`, a few descriptions name values, and the project's
 * fidelity notes (docs/sage200-fidelity.md) collect the lists seen in live answers. Each set says
 * where it comes from and whether that source lists every value: only a complete set makes an
 * unknown name an error. Which number stands for which name is not public, so no set claims numbers.
 */
import type { Field } from './types';

export interface EnumValueSet {
  /** .NET member names as the API writes them (`EnumDocumentStatusLive`, `AccountStatusActive`). */
  readonly values: readonly string[];
  /** True when the source lists every value: a name outside the set is then an error. */
  readonly complete: boolean;
  /** Where the values come from, for hover and docs. */
  readonly source: string;
}

interface KnownSet extends EnumValueSet {
  /** Field names the set applies to. */
  readonly fields: readonly string[];
  /** Schemas the set is limited to; every schema with such a field when absent. */
  readonly schemas?: readonly string[];
}

const FIDELITY = 'values seen in live answers (docs/sage200-fidelity.md)';
const OPENAPI_DESCRIPTION = "Sage's OpenAPI files: the field descriptions name these values";

const KNOWN: readonly KnownSet[] = [
  {
    fields: ['document_status'],
    schemas: ['sop_order', 'sop_quote', 'pop_order'],
    values: ['EnumDocumentStatusLive', 'EnumDocumentStatusOnHold', 'EnumDocumentStatusComplete', 'EnumDocumentStatusDispute',
      'EnumDocumentStatusCancelled', 'EnumDocumentStatusDraft', 'EnumDocumentStatusPrinted'],
    complete: true,
    source: FIDELITY,
  },
  {
    fields: ['account_status_type'],
    values: ['AccountStatusActive', 'AccountStatusHidden'],
    complete: true,
    source: "Sage's OpenAPI files: the default AccountStatusActive and the description ('Active' or 'Hidden'); on hold is the separate on_hold flag",
  },
  {
    fields: ['line_type', 'sop_order_line_type', 'sop_quote_line_type', 'sop_proforma_line_type', 'sop_return_line_type', 'pop_order_line_type'],
    values: ['EnumLineTypeStandard', 'EnumLineTypeFreeText', 'EnumLineTypeCharge', 'EnumLineTypeComment'],
    complete: true,
    source: `${OPENAPI_DESCRIPTION} (the four line types of order and quote lines)`,
  },
  {
    fields: ['exchange_rate_type'],
    schemas: ['customer', 'supplier', 'currency'],
    values: ['ExchangeRateSingle', 'ExchangeRatePeriod', 'ExchangeRateBoth'],
    complete: true,
    source: "the OpenAPI default ExchangeRateSingle, and the available values that the Zynk-Workflow connector's documentation lists for Sage 200 Online",
  },
  {
    fields: ['commission_payer'],
    schemas: ['bank_transfer'],
    values: ['PaymentBank', 'ReceiptBank'],
    complete: true,
    source: `${OPENAPI_DESCRIPTION} ("the accepted values are")`,
  },
  {
    fields: ['nominal_reporting_type'],
    values: ['NominalReportingTypePnL', 'NominalReportingTypeBalance', 'NominalReportingTypeCashFlow', 'NominalReportingTypeSOFA'],
    complete: false,
    source: `${OPENAPI_DESCRIPTION} ("for example")`,
  },
  {
    fields: ['confirmation_intent_type'],
    values: ['ConfirmOnDespatch', 'Confirm'],
    complete: false,
    source: OPENAPI_DESCRIPTION,
  },
  {
    fields: ['product_type'],
    values: ['EnumStockItemTypeStock', 'EnumStockItemTypeServiceLabour'],
    complete: false,
    source: OPENAPI_DESCRIPTION,
  },
  {
    fields: ['traceable_type'],
    values: ['EnumTraceableTypeBatch', 'EnumTraceableTypeSerial'],
    complete: false,
    source: OPENAPI_DESCRIPTION,
  },
];

const BY_FIELD = new Map<string, KnownSet[]>();
for (const set of KNOWN) {
  for (const f of set.fields) {
    const list = BY_FIELD.get(f) ?? [];
    list.push(set);
    BY_FIELD.set(f, list);
  }
}

/** A default such as `ExchangeRateSingle`: one word in .NET member style, not free text. */
const MEMBER_NAME = /^[A-Z][A-Za-z0-9]+$/;

/**
 * The values known for a field of a schema, or undefined when no source names any. A field's
 * OpenAPI default that looks like an enum name is one known value (an incomplete set).
 */
export function enumValuesOf(schema: string, field: Field): EnumValueSet | undefined {
  if (field.type !== 'string') return undefined;
  const known = BY_FIELD.get(field.name)?.find((s) => !s.schemas || s.schemas.includes(schema));
  const dflt = typeof field.default === 'string' && MEMBER_NAME.test(field.default) ? field.default : undefined;
  if (known) {
    if (dflt === undefined || known.values.includes(dflt)) return known;
    return { values: [...known.values, dflt], complete: false, source: `${known.source}; Sage's OpenAPI files: the field's default` };
  }
  return dflt === undefined ? undefined : { values: [dflt], complete: false, source: "Sage's OpenAPI files: the field's default (other values unknown)" };
}

/** Whether `value` names a member of the set; case is ignored, as Sage's enum parsing is not known to be strict. */
export function isKnownEnumValue(set: EnumValueSet, value: string): boolean {
  const lower = value.toLowerCase();
  return set.values.some((v) => v.toLowerCase() === lower);
}
