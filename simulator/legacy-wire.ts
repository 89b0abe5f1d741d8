// Interim: the strict wire shapes the simulator was written against, until it has validation of its own.
/**
 * Wire shapes of the DataCosmos API (see shared docs: datacosmos-api.md).
 * The typed client parses every response with these; the simulator builds its replies from the
 * inferred types, so both sides agree by construction. Where the published docs disagree the
 * schemas are tolerant (`value` vs `final`, `checkout_url` vs `checkout_redirect_url`, amounts as
 * strings or numbers) and normalise to one form.
 */
import { z } from 'zod';
import { toDecimal } from '../src/shared/money';

export const AUDIENCE = 'https://beeapp.open-cosmos.com';

/** An amount as the API sends it (string or number), normalised to a canonical decimal string. */
export const Amount = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number().finite()]).transform(toDecimal);

export const ApiErrorEntry = z.object({
  message: z.string(),
  field: z.string().nullish(),
  type: z.string().nullish(),
  source: z.string().nullish(),
  trace_id: z.string().nullish(),
});
export type ApiErrorEntry = z.infer<typeof ApiErrorEntry>;

/** Body of every non-2xx reply. */
export const ApiErrorBody = z.object({ errors: z.array(ApiErrorEntry) });
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** Success envelope: `{ data, errors: [] | null }`. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data, errors: z.array(ApiErrorEntry).nullish() });
}

// --- Authentication -------------------------------------------------------------------------

export const TokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  audience: z.string().min(1),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

/** The token endpoint answers without the envelope, as OAuth servers do. */
export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

// --- Contracts (DPAP policies) --------------------------------------------------------------

export const Contract = z.looseObject({
  contract_id: z.number().int(),
  name: z.string(),
  organisation_id: z.number().int(),
  currency: z.string().length(3),
  default_contract: z.boolean(),
  active: z.boolean(),
  order_start_date_utc: z.string().nullish(),
  order_end_date_utc: z.string().nullish(),
  contract_products: z.array(z.unknown()).default([]),
  contract_terms: z.array(z.unknown()).default([]),
});
export type Contract = z.infer<typeof Contract>;
export const ContractsResponse = envelope(z.array(Contract));

// --- STAC catalog ----------------------------------------------------------------------------

export const Link = z.looseObject({
  rel: z.string(),
  href: z.string(),
  type: z.string().optional(),
  method: z.string().optional(),
  body: z.unknown().optional(),
});
export type Link = z.infer<typeof Link>;

export const Geometry = z.looseObject({
  type: z.enum(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']),
  coordinates: z.array(z.unknown()),
});
export type Geometry = z.infer<typeof Geometry>;

export const Bbox = z.union([
  z.tuple([z.number(), z.number(), z.number(), z.number()]),
  z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]),
]);

export const Asset = z.looseObject({
  href: z.string(),
  type: z.string().optional(),
  title: z.string().optional(),
  roles: z.array(z.string()).optional(),
  'file:size': z.number().int().nonnegative().optional(),
  'file:checksum': z.string().optional(),
});
export type Asset = z.infer<typeof Asset>;

export const ItemProperties = z.looseObject({
  datetime: z.string().nullable(),
  'processing:level': z.string(),
  'eo:cloud_cover': z.number().optional(),
  gsd: z.number().optional(),
  platform: z.string().optional(),
  'opencosmos:data_area_km2': z.number().optional(),
  'opencosmos:price': Amount.optional(),
  'opencosmos:price_currency': z.string().optional(),
});

export const StacItem = z.looseObject({
  type: z.literal('Feature'),
  stac_version: z.string(),
  stac_extensions: z.array(z.string()).default([]),
  id: z.string(),
  collection: z.string(),
  geometry: Geometry.nullable(),
  bbox: Bbox.optional(),
  properties: ItemProperties,
  links: z.array(Link),
  assets: z.record(z.string(), Asset),
});
export type StacItem = z.infer<typeof StacItem>;

/** STAC responses are bare (no `{data}` envelope), as STAC API servers answer. */
export const StacItemCollection = z.looseObject({
  type: z.literal('FeatureCollection'),
  features: z.array(StacItem),
  links: z.array(Link).default([]),
  numberMatched: z.number().int().optional(),
  numberReturned: z.number().int().optional(),
  context: z.looseObject({ returned: z.number().optional(), matched: z.number().optional() }).optional(),
});
export type StacItemCollection = z.infer<typeof StacItemCollection>;

export const StacCollection = z.looseObject({
  type: z.literal('Collection'),
  stac_version: z.string(),
  stac_extensions: z.array(z.string()).default([]),
  id: z.string(),
  title: z.string().optional(),
  description: z.string(),
  license: z.string(),
  extent: z.looseObject({
    spatial: z.looseObject({ bbox: z.array(z.array(z.number())) }),
    temporal: z.looseObject({ interval: z.array(z.array(z.string().nullable())) }),
  }),
  links: z.array(Link),
});
export type StacCollection = z.infer<typeof StacCollection>;
export const StacCollections = z.looseObject({
  collections: z.array(StacCollection),
  links: z.array(Link).default([]),
});

const NumericComparison = z
  .object({
    eq: z.number().optional(),
    neq: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
  })
  .strict();

/** POST /stac/search body (GET takes the same as query parameters; bbox/collections/ids comma separated). */
export const SearchRequest = z
  .object({
    collections: z.array(z.string().min(1)).optional(),
    ids: z.array(z.string().min(1)).optional(),
    bbox: Bbox.optional(),
    intersects: Geometry.optional(),
    datetime: z.string().optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    query: z.record(z.string(), NumericComparison).optional(),
    contract_id: z.number().int().optional(),
    cursor: z.string().optional(),
  })
  .strict();
export type SearchRequest = z.infer<typeof SearchRequest>;

// --- Pricing ---------------------------------------------------------------------------------

/** Clients read `final`; some replies carry only `value`. Normalised: `final` always set. */
export const Price = z
  .looseObject({
    value: Amount.optional(),
    final: Amount.optional(),
    currency: z.string().length(3),
  })
  .refine((p) => p.final !== undefined || p.value !== undefined, { message: 'price has neither final nor value' })
  .transform((p) => ({ ...p, final: (p.final ?? p.value) as string }));
export type Price = z.infer<typeof Price>;
export const PriceResponse = envelope(Price);

export const ItemRef = z.object({ collection: z.string().min(1), item: z.string().min(1) });
export type ItemRef = z.infer<typeof ItemRef>;

export const PriceBatchRequest = z.object({ items: z.array(ItemRef).min(1).max(500) });
/** v0 batch pricing also names the contract in the body. */
export const PriceBatchRequestV0 = PriceBatchRequest.extend({ contract_id: z.number().int() });

export const ItemPrice = z
  .looseObject({
    collection: z.string(),
    item: z.string(),
    value: Amount.optional(),
    final: Amount.optional(),
    currency: z.string().length(3),
  })
  .refine((p) => p.final !== undefined || p.value !== undefined, { message: 'price has neither final nor value' })
  .transform((p) => ({ ...p, final: (p.final ?? p.value) as string }));
export type ItemPrice = z.infer<typeof ItemPrice>;
export const PriceBatchResponse = envelope(z.array(ItemPrice));

// --- Orders ----------------------------------------------------------------------------------

export const OrderStatus = z.enum(['UNPAID', 'PAID', 'CANCELLED']);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const PaymentMethod = z.enum(['CARD', 'BANK_TRANSFER', 'NOT_REQUIRED']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const License = z.object({
  license_link: z.string(),
  license_name: z.string(),
  license_version: z.string(),
  accepted: z.literal(true),
});
export type License = z.infer<typeof License>;

export const OrderLineItemRequest = z.object({
  collection: z.string().min(1),
  item: z.string().min(1),
  level: z.string().min(1),
  geometry: Geometry.optional(),
  project_id: z.string().optional(),
});
export type OrderLineItemRequest = z.infer<typeof OrderLineItemRequest>;

export const CreateOrderRequest = z.object({
  type: z.literal('IMAGE'),
  data: z.object({ order_line_items: z.array(OrderLineItemRequest).min(1) }),
  organisation: z.number().int(),
  contract_id: z.number().int(),
  licenses: z.array(License).optional(),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

export const OrderLineItem = z.looseObject({
  id: z.string().optional(),
  collection: z.string(),
  item: z.string(),
  level: z.string(),
  price: Amount.nullish(),
  currency: z.string().nullish(),
  geometry: Geometry.nullish(),
  project_id: z.string().nullish(),
});
export type OrderLineItem = z.infer<typeof OrderLineItem>;

export const Order = z.looseObject({
  id: z.string().min(1),
  type: z.string(),
  customer_id: z.string().nullish(),
  organisation_id: z.number().int(),
  contract_id: z.number().int(),
  status: OrderStatus,
  payment_method: PaymentMethod.nullish(),
  payment_reference_number: z.string().nullish(),
  order_line_items: z.array(OrderLineItem),
  total: Amount.nullish(),
  currency: z.string().nullish(),
  checkout_redirect_url: z.string().nullish(),
  checkout_url: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
});
export type Order = z.infer<typeof Order>;
export const OrderResponse = envelope(Order);

/** GET /order/orders: a page of orders, newest first, with the cursor of the next page. */
export const OrderList = envelope(z.array(Order)).extend({
  pagination: z.object({ next_cursor: z.string().nullable() }).nullish(),
});
export type OrderList = z.infer<typeof OrderList>;

/**
 * Checkout replies with the order. The payment link may be in `checkout_url` (one doc version) or
 * `checkout_redirect_url` (another); an empty string means "no payment needed".
 */
export const CheckoutResponse = OrderResponse;
