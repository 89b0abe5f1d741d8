/**
 * Whether a namespace can take the search attributes of src/shared/search-attributes.ts: registered (the operator
 * service lists them) and mapped by the frontend. The frontend reads a namespace's attributes from its cache of
 * namespaces, refreshed every few seconds: just after they were added, a workflow start that sets them is refused
 * ("has no mapping defined for search attribute"), and so is a visibility query naming them. The local stacks wait
 * on this before they call themselves ready; `dcp doctor` reports it.
 */
import type { ConnectionLike } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';

export interface SearchAttributeState {
  /** The attributes the namespace does not list; null when listing them was refused (`listRefusal` says why). */
  missing: string[] | null;
  listRefusal?: string;
  /** Temporal's answer to a visibility query naming every attribute, when it refused it; not asked while some miss. */
  queryRefusal?: string;
}

/** A value of each type, for a query that only has to be accepted. */
const ANY_VALUE: Record<(typeof SEARCH_ATTRIBUTES)[string], string> = {
  Keyword: "''",
  KeywordList: "''",
  Text: "''",
  Double: '0',
  Int: '0',
  Bool: 'false',
  Datetime: "'1970-01-01T00:00:00Z'",
};

/** `PurchaseStage = '' OR ... OR TotalPrice = 0`: accepted only where the namespace maps every attribute. */
export const QUERY_NAMING_EVERY_ATTRIBUTE = Object.entries(SEARCH_ATTRIBUTES)
  .map(([name, type]) => `${name} = ${ANY_VALUE[type]}`)
  .join(' OR ');

/**
 * Lists the namespace's attributes, then asks the query unless some are missing (it would be refused for them): a
 * refused listing does not stop the query, which then decides alone.
 */
export async function searchAttributeState(
  connection: Pick<ConnectionLike, 'operatorService' | 'workflowService'>,
  namespace: string,
): Promise<SearchAttributeState> {
  const state: SearchAttributeState = { missing: null };
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    state.missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in (customAttributes ?? {})));
  } catch (err) {
    state.listRefusal = (err as Error).message;
  }
  if (state.missing?.length) return state;
  try {
    await connection.workflowService.listWorkflowExecutions({
      namespace,
      query: QUERY_NAMING_EVERY_ATTRIBUTE,
      pageSize: 1,
    });
  } catch (err) {
    state.queryRefusal = (err as Error).message;
  }
  return state;
}
