/**
 * Everything the simulator must not forget (orders, credits, settings), kept in memory and made
 * durable through the journal. Every change is applied in memory at once (so checks and changes in
 * one turn are atomic) and the returned promise resolves when it is on disk.
 */
import { itemKey } from './catalog';
import type { Journal } from './journal';
import type { Settings } from './options';
import { SEED_ORGANISATIONS } from './seed-data';

export type OrderStatus = 'UNPAID' | 'PAID' | 'CANCELLED';
export type PaymentMethod = 'CARD' | 'BANK_TRANSFER' | 'NOT_REQUIRED';

/** One ordered item, priced at creation under the order's contract. */
export interface LineItem {
  id: string;
  collection: string;
  item: string;
  level: string;
  price: string;
  currency: string;
  geometry?: unknown;
  project_id?: string;
}

export interface CheckoutSession {
  id: string;
  expires_at_ms: number;
}

/** An order with the simulator's audit fields. */
export interface OrderRecord {
  seq: number;
  id: string;
  customer_id: string;
  organisation_id: number;
  contract_id: number;
  status: OrderStatus;
  payment_method: PaymentMethod | null;
  payment_reference_number: string | null;
  order_line_items: LineItem[];
  total: string;
  currency: string;
  checkout_url: string;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  checkout_count: number;
  /** Money taken for the order: from credits (payment_method NOT_REQUIRED) or by card. */
  charged: string;
  session: CheckoutSession | null;
}

export type JournalRecord =
  | { k: 'order'; order: OrderRecord }
  | { k: 'credits'; organisation: number; amount: string }
  /** The settings changed through the admin API so far; they win over the start options. */
  | { k: 'settings'; changed: Partial<Settings> }
  | { k: 'reset' };

export class SimState {
  readonly orders = new Map<string, OrderRecord>();
  /** Each organisation's orders in creation order (ascending seq). */
  readonly ordersByOrg = new Map<number, OrderRecord[]>();
  readonly sessions = new Map<string, OrderRecord>();
  readonly credits = new Map<number, string>();
  /** Items of PAID orders per organisation: what its storage downloads may read. */
  readonly paidItems = new Map<number, Set<string>>();
  settings: Settings;
  private changedSettings: Partial<Settings> = {};
  private lastSeq = 0;
  private journal: Journal | null = null;

  constructor(private readonly startSettings: Settings) {
    this.settings = { ...startSettings };
    this.seedCredits();
  }

  attach(journal: Journal): void {
    this.journal = journal;
  }

  nextSeq(): number {
    return ++this.lastSeq;
  }

  apply(record: JournalRecord): void {
    switch (record.k) {
      case 'order':
        return this.applyOrder(record.order);
      case 'credits':
        this.credits.set(record.organisation, record.amount);
        return;
      case 'settings':
        this.changedSettings = { ...record.changed };
        this.settings = { ...this.startSettings, ...this.changedSettings };
        return;
      case 'reset':
        return this.clear();
    }
  }

  /** The records that rebuild this state: the compacted journal. */
  snapshot(): JournalRecord[] {
    return [
      { k: 'settings', changed: this.changedSettings },
      ...[...this.credits].map(([organisation, amount]): JournalRecord => ({ k: 'credits', organisation, amount })),
      ...[...this.orders.values()].map((order): JournalRecord => ({ k: 'order', order })),
    ];
  }

  saveOrder(order: OrderRecord): Promise<void> {
    return this.commit({ k: 'order', order });
  }

  setCredits(organisation: number, amount: string): Promise<void> {
    return this.commit({ k: 'credits', organisation, amount });
  }

  updateSettings(patch: Partial<Settings>): Promise<void> {
    return this.commit({ k: 'settings', changed: { ...this.changedSettings, ...patch } });
  }

  /** Back to the seed: no orders, seed credits, the start settings. */
  reset(): Promise<void> {
    return this.commit({ k: 'reset' });
  }

  private commit(record: JournalRecord): Promise<void> {
    this.apply(record);
    if (!this.journal) throw new Error('state has no journal attached');
    return this.journal.append(record);
  }

  private applyOrder(order: OrderRecord): void {
    this.lastSeq = Math.max(this.lastSeq, order.seq);
    const existing = this.orders.get(order.id);
    const current = existing ? Object.assign(existing, order) : order;
    if (!existing) {
      this.orders.set(order.id, current);
      const list = this.ordersByOrg.get(order.organisation_id) ?? [];
      list.push(current);
      this.ordersByOrg.set(order.organisation_id, list);
    }
    if (current.session) this.sessions.set(current.session.id, current);
    if (current.status === 'PAID') {
      const items = this.paidItems.get(current.organisation_id) ?? new Set<string>();
      for (const line of current.order_line_items) items.add(itemKey(line.collection, line.item));
      this.paidItems.set(current.organisation_id, items);
    }
  }

  private clear(): void {
    this.orders.clear();
    this.ordersByOrg.clear();
    this.sessions.clear();
    this.paidItems.clear();
    this.changedSettings = {};
    this.settings = { ...this.startSettings };
    this.seedCredits();
  }

  private seedCredits(): void {
    this.credits.clear();
    for (const org of SEED_ORGANISATIONS) this.credits.set(org.id, org.credits);
  }
}
