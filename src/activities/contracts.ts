/** Picks the contract a purchase runs under. */
import type { Contract } from '../datacosmos/api-schemas';
import { chooseContractFrom } from '../datacosmos/contract-choice';
import type { ResolvedContract } from '../shared/purchase-types';
import { businessRule } from './failures';

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
