import { chooseContractFrom } from '../../src/datacosmos/contract-choice';
import type { Contract } from '../../src/datacosmos/api-schemas';

const contract = (id: number, extra: Partial<Contract> = {}) =>
  ({ contract_id: id, currency: 'EUR', default_contract: false, ...extra }) as Contract;
const at = new Date('2026-06-01T00:00:00Z');

test('the named contract, else the default one; never another active contract', () => {
  const contracts = [contract(1), contract(2, { default_contract: true })];
  expect(chooseContractFrom(contracts, 7, at)).toEqual({ contract: contracts[1] });
  expect(chooseContractFrom(contracts, 7, at, 1)).toEqual({ contract: contracts[0] });
  expect(chooseContractFrom([contract(1)], 7, at)).toEqual({
    problem: 'organisation 7 has no default contract; name one with --contract',
  });
  expect(chooseContractFrom(contracts, 7, at, 3)).toEqual({
    problem: 'contract 3 does not belong to organisation 7',
  });
});

test('an inactive contract, or one outside its ordering window, is refused with why', () => {
  expect(chooseContractFrom([contract(1, { default_contract: true, active: false })], 7, at)).toEqual({
    problem: 'contract 1 is not active',
  });
  const window = { default_contract: true, order_start_date_utc: '2026-07-01T00:00:00Z' };
  expect(chooseContractFrom([contract(1, window)], 7, at)).toEqual({
    problem: 'contract 1 accepts orders only from 2026-07-01T00:00:00Z to any time',
  });
  expect(chooseContractFrom([contract(1, window)], 7, new Date('2026-07-02T00:00:00Z'))).toHaveProperty('contract');
});
