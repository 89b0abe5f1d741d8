/** Contract checks shared by pricing, search and order creation, and the price of an item under a contract. */
import type { CatalogItem } from './catalog';
import { ApiError } from './http';
import { areaPrice, scaled } from './money';
import { findContract, type SeedContract, type SeedOrganisation } from './seed-data';

/**
 * The caller's contract: 404 when unknown, 403 when another organisation's. Its rate is the seed's times the
 * settings' `rateFactor` (1 unless a test raised prices, as a price list can change while a purchase waits).
 */
export function ownContract(
  organisation: SeedOrganisation,
  contractId: number,
  rateFactor: string,
  field = 'contract_id',
): SeedContract {
  const contract = findContract(contractId);
  if (!contract) throw new ApiError(404, `contract ${contractId} not found`, field);
  if (contract.organisation_id !== organisation.id)
    throw new ApiError(403, `contract ${contractId} does not belong to organisation ${organisation.id}`, field);
  return rateFactor === '1' ? contract : { ...contract, rate_per_km2: scaled(contract.rate_per_km2, rateFactor) };
}

/** A contract that can be used to buy now: owned, active and inside its order window. */
export function usableContract(
  organisation: SeedOrganisation,
  contractId: number,
  rateFactor: string,
  field = 'contract_id',
): SeedContract {
  const contract = ownContract(organisation, contractId, rateFactor, field);
  if (!contract.active) throw new ApiError(400, `contract ${contractId} is not active`, field);
  const now = Date.now();
  if (contract.order_start_date_utc && Date.parse(contract.order_start_date_utc) > now)
    throw new ApiError(400, `contract ${contractId} order window starts ${contract.order_start_date_utc}`, field);
  if (contract.order_end_date_utc && Date.parse(contract.order_end_date_utc) < now)
    throw new ApiError(400, `contract ${contractId} order window ended ${contract.order_end_date_utc}`, field);
  return contract;
}

/** Price = rate per km² x data area, rounded to cents, as a decimal string. */
export function itemPrice(contract: SeedContract, item: CatalogItem): string {
  return areaPrice(contract.rate_per_km2, item.areaKm2);
}
