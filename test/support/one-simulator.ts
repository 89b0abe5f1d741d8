/** One in-process simulator for the whole test file: started before its tests, closed after them. */
import type { SimulatorOptions } from '../../simulator/options';
import { ACME, getToken, startInProcess, type InProcessSimulator, type SeedClient } from '../../harness/simulator';
import { findItems, type CatalogRef } from './orders';

/** The simulator, a token of the file's account, and the first catalog items it may buy. */
export interface SimulatorFixture {
  sim: InProcessSimulator;
  token: string;
  items: CatalogRef[];
}

export function oneSimulatorPerFile(
  options: SimulatorOptions & { account?: SeedClient; catalogItems?: number },
  use: (fixture: SimulatorFixture) => unknown,
): void {
  let sim: InProcessSimulator | undefined;
  beforeAll(async () => {
    const { account = ACME, catalogItems = 0, ...simulatorOptions } = options;
    sim = await startInProcess(simulatorOptions);
    const token = await getToken(sim.url, account);
    const items = catalogItems > 0 ? await findItems(sim.url, token, account.contract, catalogItems) : [];
    await use({ sim, token, items });
  });
  afterAll(() => sim?.close());
}
