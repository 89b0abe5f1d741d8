/** Picks the contract a purchase runs under, with the organisation's contracts cached per worker. */
import type { Contract } from '../datacosmos/api-schemas';
import { chooseContractFrom } from '../datacosmos/contract-choice';
import type { ResolvedContract } from '../shared/purchase-types';
import { businessRule } from './failures';

export interface ContractCache {
  get(organisationId: number, load: () => Promise<Contract[]>): Promise<Contract[]>;
}

/** Contracts change rarely; caching them keeps a credits purchase at price + create + checkout calls. */
export function createContractCache(ttlMs: number, now: () => number = Date.now): ContractCache {
  const entries = new Map<number, { at: number; contracts: Promise<Contract[]> }>();
  return {
    async get(organisationId, load) {
      const hit = entries.get(organisationId);
      if (hit && now() - hit.at < ttlMs) return hit.contracts;
      const contracts = load();
      entries.set(organisationId, { at: now(), contracts });
      contracts.catch(() => entries.delete(organisationId));
      return contracts;
    },
  };
}

/** The named contract, or the default one; fails clearly when it is missing, inactive or outside its window. */
export function chooseContract(
  contracts: Contract[],
  organisationId: number,
  at: Date,
  contractId?: number,
): ResolvedContract {
  const choice = chooseContractFrom(contracts, organisationId, at, contractId);
  if ('problem' in choice) throw businessRule(choice.problem, 'ContractUnusable');
  const { contract } = choice;
  return {
    contractId: contract.contract_id,
    name: contract.name ?? `contract ${contract.contract_id}`,
    currency: contract.currency,
    // The policies are listed for this organisation: a contract that does not name one is the organisation's.
    organisationId: contract.organisation_id ?? organisationId,
  };
}
