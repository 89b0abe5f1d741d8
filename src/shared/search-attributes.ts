/**
 * Search attributes the purchase and batch workflows keep current, so operators can ask Temporal
 * (`temporal workflow list --query 'PurchaseStage="AWAITING_PAYMENT"'`, the Web UI) where purchases stand.
 * They must be registered on the namespace: the dev server gets them as `--search-attribute` flags.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PurchaseStageKey = defineSearchAttributeKey('PurchaseStage', SearchAttributeType.KEYWORD);
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const DataCosmosOrderIdKey = defineSearchAttributeKey('DataCosmosOrderId', SearchAttributeType.KEYWORD);
export const OrganisationIdKey = defineSearchAttributeKey('OrganisationId', SearchAttributeType.KEYWORD);
export const BatchIdKey = defineSearchAttributeKey('BatchId', SearchAttributeType.KEYWORD);
export const TotalPriceKey = defineSearchAttributeKey('TotalPrice', SearchAttributeType.DOUBLE);
/** `COLLECTION/ITEM` of every item a purchase buys: how a batch sees what running purchases are buying. */
export const PurchaseItemsKey = defineSearchAttributeKey('PurchaseItems', SearchAttributeType.KEYWORD_LIST);
/** Built in (not registered by us): the nominal time a schedule started this workflow for. */
export const ScheduledStartTimeKey = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** Name -> Temporal CLI type, for `temporal server start-dev --search-attribute Name=Type`. */
export const SEARCH_ATTRIBUTES: Readonly<
  Record<string, 'Keyword' | 'KeywordList' | 'Double' | 'Int' | 'Text' | 'Datetime' | 'Bool'>
> = {
  PurchaseStage: 'Keyword',
  OrderStatus: 'Keyword',
  DataCosmosOrderId: 'Keyword',
  OrganisationId: 'Keyword',
  BatchId: 'Keyword',
  TotalPrice: 'Double',
  PurchaseItems: 'KeywordList',
};
