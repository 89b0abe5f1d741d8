/**
 * Wire shapes of the DataCosmos API, read tolerantly: a reply must carry what a decision needs (an order's `id`
 * and `status`, a price's amount and currency, a contract's id and currency); every other field may be missing,
 * null, of another shape, or `""` (how the docs write "no value"), and then reads as absent. Where the docs
 * disagree (`value` vs `final`, `checkout_url` vs `checkout_redirect_url`, amounts as strings or numbers) the
 * schemas accept both and normalise to one form. Requests are checked strictly before they are sent.
 */
import { z } from 'zod';
import { toDecimal } from '../shared/money';

/** A field the product can do without: anything unreadable, null or `""` reads as absent. */
function optional<T extends z.ZodType>(schema: T) {
  return z
    .preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional())
    .catch(undefined);
}

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

/** Success envelope: `{ data, errors: [] | null }`; a 2xx reply's `errors` are not acted on. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.looseObject({ data, errors: z.unknown().optional() });
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
  currency: z.string().length(3),
  name: optional(z.string()),
  organisation_id: optional(z.number().int()),
  /** Absent reads as "not the default": a purchase then names its contract. */
  default_contract: optional(z.boolean()),
  /** Absent reads as active: DataCosmos itself refuses an order under an inactive contract. */
  active: optional(z.boolean()),
  order_start_date_utc: optional(z.string()),
  order_end_date_utc: optional(z.string()),
  contract_products: optional(z.array(z.unknown())),
  contract_terms: optional(z.array(z.unknown())),
});
export type Contract = z.infer<typeof Contract>;
export const ContractsResponse = envelope(z.array(Contract));

// --- STAC catalog ----------------------------------------------------------------------------

export const Link = z.looseObject({
  rel: z.string(),
  href: z.string(),
  type: optional(z.string()),
  method: optional(z.string()),
  body: z.unknown().optional(),
});
/** Links that cannot be read are dropped: only `next` matters, and only when it is readable. */
const Links = z
  .array(z.unknown())
  .catch([])
  .default([])
  .transform((links) => links.flatMap((link) => (Link.safeParse(link).success ? [Link.parse(link)] : [])));
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
  type: optional(z.string()),
  title: optional(z.string()),
  roles: optional(z.array(z.string())),
  'file:size': optional(z.number().int().nonnegative()),
  'file:checksum': optional(z.string()),
});
export type Asset = z.infer<typeof Asset>;

export const ItemProperties = z.looseObject({
  datetime: optional(z.string()),
  /** The order line item's `level`; an item without it can be ordered only when the purchase names the level. */
  'processing:level': optional(z.string()),
  'eo:cloud_cover': optional(z.number()),
  gsd: optional(z.number()),
  platform: optional(z.string()),
  'opencosmos:data_area_km2': optional(z.number()),
  'opencosmos:price': optional(Amount),
  'opencosmos:price_currency': optional(z.string()),
});

export const StacItem = z.looseObject({
  type: optional(z.literal('Feature')),
  stac_version: optional(z.string()),
  stac_extensions: optional(z.array(z.string())),
  id: z.string().min(1),
  collection: z.string().min(1),
  geometry: optional(Geometry),
  bbox: optional(Bbox),
  properties: ItemProperties.catch({}),
  links: Links,
  /** Assets that cannot be read are left out; delivery downloads the readable ones. */
  assets: z
    .record(z.string(), z.unknown())
    .catch({})
    .default({})
    .transform((assets) =>
      Object.fromEntries(
        Object.entries(assets).flatMap(([key, asset]) => {
          const parsed = Asset.safeParse(asset);
          return parsed.success ? [[key, parsed.data]] : [];
        }),
      ),
    ),
});
export type StacItem = z.infer<typeof StacItem>;

/** STAC responses are bare (no `{data}` envelope), as STAC API servers answer. */
export const StacItemCollection = z.looseObject({
  type: optional(z.literal('FeatureCollection')),
  features: z.array(StacItem),
  links: Links,
  numberMatched: optional(z.number().int()),
  numberReturned: optional(z.number().int()),
  context: optional(z.looseObject({ returned: optional(z.number()), matched: optional(z.number()) })),
});
export type StacItemCollection = z.infer<typeof StacItemCollection>;

export const StacCollection = z.looseObject({
  id: z.string().min(1),
  type: optional(z.literal('Collection')),
  stac_version: optional(z.string()),
  stac_extensions: optional(z.array(z.string())),
  title: optional(z.string()),
  description: optional(z.string()),
  license: optional(z.string()),
  extent: optional(
    z.looseObject({
      spatial: optional(z.looseObject({ bbox: z.array(z.array(z.number())) })),
      temporal: optional(z.looseObject({ interval: z.array(z.array(z.string().nullable())) })),
    }),
  ),
  links: Links,
});
export type StacCollection = z.infer<typeof StacCollection>;
export const StacCollections = z.looseObject({
  collections: z.array(StacCollection),
  links: Links,
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

/** A price with these other fields. Clients read `final`; some replies carry only `value`. Normalised: `final` set. */
function normalisedPrice<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .looseObject({ ...shape, value: optional(Amount), final: optional(Amount), currency: z.string().length(3) })
    .refine((p) => p.final !== undefined || p.value !== undefined, { message: 'price has neither final nor value' })
    .transform((p) => ({ ...p, final: (p.final ?? p.value) as string }));
}

export const Price = normalisedPrice({});
export type Price = z.infer<typeof Price>;
export const PriceResponse = envelope(Price);

export const ItemRef = z.object({ collection: z.string().min(1), item: z.string().min(1) });
export type ItemRef = z.infer<typeof ItemRef>;

/** A closed GeoJSON Polygon (every ring at least 4 positions, first = last): a sub-area of an item. */
export const SubArea = z.object({
  type: z.literal('Polygon'),
  coordinates: z
    .array(
      z
        .array(z.tuple([z.number(), z.number()]).rest(z.number()))
        .min(4)
        .refine((ring) => ring[0].every((value, i) => value === ring[ring.length - 1][i]), 'ring is not closed'),
    )
    .min(1),
});
export type SubArea = z.infer<typeof SubArea>;

/** What a price is asked for: an item, or with `geometry` a sub-area of it (v0 per-item price only). */
export const PriceRef = ItemRef.extend({ geometry: SubArea.optional() });
export type PriceRef = z.infer<typeof PriceRef>;

export const PriceBatchRequest = z.object({ items: z.array(ItemRef).min(1).max(500) });
/** v0 batch pricing also names the contract in the body. */
export const PriceBatchRequestV0 = PriceBatchRequest.extend({ contract_id: z.number().int() });

export const ItemPrice = normalisedPrice({ collection: z.string(), item: z.string() });
export type ItemPrice = z.infer<typeof ItemPrice>;
export const PriceBatchResponse = envelope(z.array(ItemPrice));

// --- Orders ----------------------------------------------------------------------------------

/**
 * Documented statuses are UNPAID, PAID and CANCELLED; any other non-empty value is kept as it came and read as
 * not final (OrderStatus in src/shared/purchase-types.ts).
 */
const Status = z.string().trim().min(1);
/** Documented methods are CARD, BANK_TRANSFER and NOT_REQUIRED; `""` (unpaid) reads as absent. */
const Method = z.string().trim().min(1);

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

/** An order id as the API sends it: a string (a UUID in the docs), or a number, read as its text. */
const OrderId = z.union([z.string().trim().min(1), z.number().int().transform(String)]);

export const OrderLineItem = z.looseObject({
  id: optional(z.string()),
  collection: optional(z.string()),
  item: optional(z.string()),
  level: optional(z.string()),
  price: optional(Amount),
  currency: optional(z.string()),
  geometry: optional(Geometry),
  project_id: optional(z.string()),
});
export type OrderLineItem = z.infer<typeof OrderLineItem>;

/** An order: `id` and `status` are what the product acts on; everything else is read when it is there. */
export const Order = z.looseObject({
  id: OrderId,
  status: Status,
  type: optional(z.string()),
  customer_id: optional(z.string()),
  organisation_id: optional(z.number().int()),
  contract_id: optional(z.number().int()),
  payment_method: optional(Method),
  payment_reference_number: optional(z.string()),
  /** Line items that cannot be read are dropped; an order's items are compared only when they are all there. */
  order_line_items: optional(z.array(OrderLineItem)),
  total: optional(Amount),
  currency: optional(z.string()),
  checkout_redirect_url: optional(z.string()),
  checkout_url: optional(z.string()),
  created_at: optional(z.string()),
  updated_at: optional(z.string()),
});
export type Order = z.infer<typeof Order>;
export const OrderResponse = envelope(Order);

/**
 * A create reply that is not a whole order but names one: the order exists and is adopted by its id; its
 * status, when unreadable, is learnt by reading the order again.
 */
export const CreatedOrderReply = z.looseObject({
  data: z.looseObject({ id: OrderId, status: optional(Status) }),
});

/**
 * GET /order/orders (not in the docs): a page of orders, newest first, with the cursor of the next page.
 * Entries are checked one by one, so the caller knows when an order in the list could not be read.
 */
export const OrderList = envelope(z.array(z.unknown())).extend({
  /** Read by toOrderPage: whether more pages follow decides whether the list can prove an order absent. */
  pagination: z.unknown().optional(),
});
export type OrderList = z.infer<typeof OrderList>;

/**
 * Checkout replies in several shapes, all accepted: the whole order, `{checkout_url}` (the Ordering API page),
 * `{checkout_redirect_url}`, or an empty body. An empty link means "no payment needed".
 */
export const CheckoutResponse = z
  .looseObject({ data: optional(z.looseObject({})), errors: z.unknown().optional() })
  .catch({ data: undefined });
