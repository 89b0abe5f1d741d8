/** The organisations, clients and contracts that every fresh (or reset) simulator starts with. */
import type { ApiVariant } from './options';

/** A contract as the policies endpoint lists it (the documented fields). */
export interface ContractJson {
  contract_id: number;
  name: string;
  organisation_id: number;
  /** ISO 4217. */
  currency: string;
  default_contract: boolean;
  active: boolean;
  order_start_date_utc: string | null;
  order_end_date_utc: string | null;
  contract_products: unknown[] | null;
  contract_terms: unknown[];
}

export interface SeedContract extends ContractJson {
  /** Price per km² as a decimal string. */
  rate_per_km2: string;
}

export interface SeedOrganisation {
  id: number;
  name: string;
  client_id: string;
  client_secret: string;
  credits: string;
  currency: string;
  card_payments: boolean;
  contracts: SeedContract[];
}

function contract(
  organisation_id: number,
  contract_id: number,
  name: string,
  currency: string,
  rate: string,
  flags: { default_contract: boolean; active: boolean; start: string; end: string },
): SeedContract {
  return {
    contract_id,
    name,
    organisation_id,
    currency,
    default_contract: flags.default_contract,
    active: flags.active,
    order_start_date_utc: flags.start,
    order_end_date_utc: flags.end,
    contract_products: [{ product: 'catalog', price_per_km2: rate, currency }],
    contract_terms: [],
    rate_per_km2: rate,
  };
}

const OPEN = { start: '2023-01-01T00:00:00Z', end: '2030-12-31T23:59:59Z' };

export const SEED_ORGANISATIONS: readonly SeedOrganisation[] = [
  {
    id: 1001,
    name: 'Acme Mapping',
    client_id: 'acme-pipeline',
    client_secret: 'acme-secret-1001',
    credits: '100000',
    currency: 'EUR',
    card_payments: true,
    contracts: [
      contract(1001, 5001, 'Acme catalog (default)', 'EUR', '2.50', { default_contract: true, active: true, ...OPEN }),
      contract(1001, 5002, 'Acme catalog (volume)', 'EUR', '1.80', { default_contract: false, active: true, ...OPEN }),
      contract(1001, 5003, 'Acme catalog (suspended)', 'EUR', '2.00', {
        default_contract: false,
        active: false,
        ...OPEN,
      }),
      contract(1001, 5004, 'Acme catalog 2023-2024', 'EUR', '2.20', {
        default_contract: false,
        active: true,
        start: '2023-01-01T00:00:00Z',
        end: '2024-12-31T23:59:59Z',
      }),
    ],
  },
  {
    id: 1002,
    name: 'Blue Fields',
    client_id: 'bluefields',
    client_secret: 'bluefields-secret-1002',
    credits: '0',
    currency: 'GBP',
    card_payments: true,
    contracts: [
      contract(1002, 6001, 'Blue Fields catalog', 'GBP', '3.10', { default_contract: true, active: true, ...OPEN }),
    ],
  },
  {
    id: 1003,
    name: 'Cirrus Agri',
    client_id: 'cirrus',
    client_secret: 'cirrus-secret-1003',
    credits: '500',
    currency: 'USD',
    card_payments: false,
    contracts: [
      contract(1003, 7001, 'Cirrus catalog', 'USD', '4.00', { default_contract: true, active: true, ...OPEN }),
    ],
  },
];

export function findOrganisation(id: number): SeedOrganisation | undefined {
  return SEED_ORGANISATIONS.find((o) => o.id === id);
}

export function findClient(clientId: string): SeedOrganisation | undefined {
  return SEED_ORGANISATIONS.find((o) => o.client_id === clientId);
}

export function findContract(contractId: number): SeedContract | undefined {
  for (const org of SEED_ORGANISATIONS) {
    const found = org.contracts.find((c) => c.contract_id === contractId);
    if (found) return found;
  }
  return undefined;
}

/**
 * A contract as the API lists it: the seed without the simulator's private rate. The documented
 * variant sends no product list (`null`): what a product looks like is not published.
 */
export function contractJson(c: SeedContract, variant: ApiVariant): ContractJson {
  const { rate_per_km2: _rate, ...json } = c;
  return variant === 'documented' ? { ...json, contract_products: null } : json;
}
