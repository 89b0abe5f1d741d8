/**
 * The one rule for the contract a purchase runs under: the one named, else the organisation's default, and only
 * while it is active and inside its ordering window. Purchases, `dcp quote`, `dcp doctor` and `dcp probe` all
 * choose with it, so a probe says what a purchase would do.
 */
import type { Contract } from './api-schemas';

export type ContractChoice = { contract: Contract } | { problem: string };

export function chooseContractFrom(
  contracts: Contract[],
  organisationId: number,
  at: Date,
  contractId?: number,
): ContractChoice {
  const contract =
    contractId === undefined
      ? contracts.find((c) => c.default_contract)
      : contracts.find((c) => c.contract_id === contractId);
  if (!contract) {
    return {
      problem:
        contractId === undefined
          ? `organisation ${organisationId} has no default contract; name one with --contract`
          : `contract ${contractId} does not belong to organisation ${organisationId}`,
    };
  }
  if (contract.active === false) return { problem: `contract ${contract.contract_id} is not active` };
  const start = contract.order_start_date_utc ? Date.parse(contract.order_start_date_utc) : -Infinity;
  const end = contract.order_end_date_utc ? Date.parse(contract.order_end_date_utc) : Infinity;
  if (at.getTime() < start || at.getTime() > end) {
    return {
      problem: `contract ${contract.contract_id} accepts orders only from ${contract.order_start_date_utc ?? 'any time'} to ${contract.order_end_date_utc ?? 'any time'}`,
    };
  }
  return { contract };
}
