/**
 * The purchase activities: thin steps over the DataCosmos client. Built by a factory that takes the
 * client and the organisation, so the worker, tests and benchmarks wire them the same way.
 */
import { Context } from '@temporalio/activity';
import { DEFAULT_RETRY, withRetry, type DataCosmosClient } from '../datacosmos';
import type { Contract, OrderLineItemRequest } from '../datacosmos/api-schemas';
import { FAILURE } from '../shared/failure-types';
import type { CreateOrderInput, LineItemInput, OrderSummary, Quote, ResolvedContract } from '../shared/purchase-types';
import { createBatchActivities } from './batch';
import { createClaimActivities } from './claims';
import { createCoverageActivities } from './coverage';
import { chooseContract } from './contracts';
import { apiStep, businessRule, cancellation, isFinalApiFailure, unsettled } from './failures';
import { keptAnswers } from './kept-answers';
import { checkAdoptable, findOrderForItems, readOrder, summarizeOrder } from './orders';
import { createNotifyActivities, type NotifyDependencies } from './notify';
import { paidItemsMemory } from './ownership';
import { priceLineItems, quoteCurrencyMismatch } from './pricing';
import { createSpendActivities } from './spend';
import { createStoredPageActivities } from './stored-pages';

export interface ActivityDependencies {
  client: DataCosmosClient;
  organisationId: number;
  /** Clock skew tolerated when looking for an order whose create reply was lost. */
  orderLookbackMs?: number;
  /** Downloads at once in this worker, across all deliveries (default 4). */
  maxParallelDownloads?: number;
  /** DELIVER_S3_ENDPOINT: the S3-compatible store of deliveries to a bucket that name none (unset: AWS S3). */
  s3Endpoint?: string;
  /** How often claim registries check held and watched claims (tests make it short). */
  claimCheckEveryMs?: number;
  /** Whether a fleet budget governs the DataCosmos calls (its queue's rate limit); then every call goes through it. */
  fleetBudget?: boolean;
  /** Outbound notifications: the worker's default URL and signing secret. */
  notify?: NotifyDependencies;
}

/** How long a worker keeps an organisation's contracts. */
const CONTRACTS_KEPT_MS = 5 * 60_000;

export function createActivities(deps: ActivityDependencies) {
  const { client, organisationId } = deps;
  // Contracts change rarely: kept per worker, a credits purchase stays at price + create + checkout calls.
  const contracts = keptAnswers<number, Contract[]>(CONTRACTS_KEPT_MS);
  const lookbackMs = deps.orderLookbackMs ?? 5 * 60_000;
  const paidItems = paidItemsMemory();

  return {
    /** Where workflows of this worker run DataCosmos calls that may skip the queue: 'local' unless a fleet budget governs them. */
    async datacosmosPlacement(): Promise<'local' | 'queue'> {
      return deps.fleetBudget ? 'queue' : 'local';
    },

    async resolveContract(input: { contractId?: number }): Promise<ResolvedContract> {
      const all = await apiStep(() =>
        contracts.get(organisationId, () =>
          client.listContracts(organisationId, { includeInactive: true, signal: cancellation() }),
        ),
      );
      return chooseContract(all, organisationId, new Date(), input.contractId);
    },

    /**
     * Prices every line item under the contract; looks up missing levels in the catalog in the same call. With the
     * contract's `currency` (purchases since it was passed), a price in another currency fails the step: the budget
     * is in the contract's, and 150 USD would pass a budget of 20000 JPY as a bare number.
     */
    async priceItems(input: { contractId: number; items: LineItemInput[]; currency?: string }): Promise<Quote> {
      const quote = await priceLineItems(client, input.contractId, input.items, cancellation());
      const mismatch = quoteCurrencyMismatch(quote, input.currency);
      if (mismatch) throw businessRule(mismatch, 'PriceMismatch');
      return quote;
    },

    /**
     * Creates the order at most once. The API has no idempotency key, so a retried attempt (after a timeout, a
     * reset, a lost reply or a worker crash), or one the workflow marks `lookFirst`, first adopts an order of this
     * organisation with the same line items created since the purchase began, and only POSTs when the order list
     * proves there is none. When the list cannot tell, the attempt fails as OrderOutcomeUnknown: never a second POST.
     */
    async createOrderOnce(input: CreateOrderInput): Promise<OrderSummary> {
      const log = Context.current().log;
      if (input.lookFirst || Context.current().info.attempt > 1) {
        const existing = await findOrderForItems(client, organisationId, input, lookbackMs);
        if (existing) {
          log.info('adopted the order of an earlier attempt', { orderId: existing.id });
          return summarizeOrder(existing);
        }
      }
      // A refusal that proves nothing was created (429, a request never sent) is sent again within this attempt: a retried attempt first pages through the organisation's recent orders, and under
      // a rate limit those pages drew 429s that sent more creates into look-ups (a fleet fell to 17 % of its budget).
      const created = await apiStep(() =>
        withRetry(DEFAULT_RETRY, cancellation(), () =>
          client.createOrder(
            {
              type: 'IMAGE',
              data: {
                order_line_items: input.lineItems.map((line) => ({
                  collection: line.collection,
                  item: line.item,
                  level: line.level,
                  ...(line.geometry
                    ? { geometry: line.geometry as OrderLineItemRequest['geometry'], project_id: line.projectId }
                    : {}),
                })),
              },
              organisation: organisationId,
              contract_id: input.contractId,
              ...(input.licenses ? { licenses: input.licenses } : {}),
            },
            { signal: cancellation() },
          ),
        ),
      );
      log.info('order created', { orderId: created.id, status: created.status ?? 'unknown' });
      if (created.status !== undefined) return summarizeOrder(created);
      // The reply named the order but not its status: read it, or leave the status unknown for checkout to settle.
      // Never fail the attempt here: the order exists, and a retry would have only the order list to find it by.
      try {
        return await readOrder(client, created.id);
      } catch (err) {
        log.warn('the created order could not be read; checkout settles its status', {
          orderId: created.id,
          error: err instanceof Error ? err.message : String(err),
        });
        return summarizeOrder(created);
      }
    },

    /**
     * Checks out (credits first). A retried attempt re-reads the order first, so a paid order is never paid
     * again. Whatever shape the reply has, the status comes from a read of the order (the reply itself, when it is
     * the whole order); when the order cannot be read, the attempt fails as OrderUnreadable, with the link.
     */
    async checkoutOrder(input: { orderId: string }): Promise<OrderSummary> {
      if (Context.current().info.attempt > 1) {
        const current = await readOrder(client, input.orderId).catch((err: unknown) => {
          if (isFinalApiFailure(err)) return null; // checkout of a paid order changes nothing (docs)
          throw err;
        });
        if (current && (current.status !== 'UNPAID' || current.checkoutUrl)) return current;
      }
      const outcome = await apiStep(() => client.checkout(input.orderId, cancellation()));
      Context.current().log.info('checked out', {
        orderId: input.orderId,
        status: outcome.order?.status ?? 'not in the reply',
      });
      const withLink = (order: OrderSummary) => ({ ...order, checkoutUrl: outcome.checkoutUrl ?? order.checkoutUrl });
      if (outcome.order) return withLink(summarizeOrder(outcome.order));
      try {
        return withLink(await readOrder(client, input.orderId));
      } catch (err) {
        if (!isFinalApiFailure(err)) throw err;
        throw unsettled(
          `order ${input.orderId} was checked out${outcome.checkoutUrl ? ` (payment link ${outcome.checkoutUrl})` : ''}, ` +
            `but it cannot be read: ${(err as Error).message}`,
          FAILURE.orderUnreadable,
          { checkoutUrl: outcome.checkoutUrl },
        );
      }
    },

    async getOrder(input: { orderId: string }): Promise<OrderSummary> {
      return readOrder(client, input.orderId);
    },

    /**
     * An order an operator names for a purchase whose create could not be settled (`dcp adopt`): read and checked
     * against the purchase (organisation, contract, items) when DataCosmos can show it; taken on the operator's
     * word, with its status unknown, when the order cannot be read here.
     */
    async adoptOrder(input: CreateOrderInput & { orderId: string }): Promise<OrderSummary> {
      let order;
      try {
        order = await apiStep(() => client.getOrder(input.orderId, cancellation()));
      } catch (err) {
        if (!isFinalApiFailure(err) || (err as { type?: string }).type !== FAILURE.unsupported) throw err;
        Context.current().log.warn('adopting an order that cannot be read', { orderId: input.orderId });
        return {
          orderId: input.orderId,
          status: null,
          paymentMethod: null,
          checkoutUrl: null,
          total: null,
          currency: null,
        };
      }
      const problem = checkAdoptable(order, organisationId, input);
      if (problem) throw businessRule(`order ${input.orderId} cannot be adopted: ${problem}`, FAILURE.adoptionRefused);
      return summarizeOrder(order);
    },

    ...createBatchActivities({ ...deps, paidItems }),
    ...createCoverageActivities({ ...deps, paidItems }),
    ...createClaimActivities(deps),
    ...createSpendActivities(deps),
    ...createStoredPageActivities(),
    ...createNotifyActivities(deps),
  };
}
