/** One value of a business attribute (spec §1.11): matched by DB id or by name. */
export interface AttributeValue {
  dbid: number;
  name: string;
  isDefault: boolean;
  /** Service types only: lifetime of services of this type (`settings/expiration`, spec §1.7). */
  expirationSeconds?: number;
}

/** The configured values of one mapped field, e.g. `Service.type`. */
export class ValueList {
  private readonly byName = new Map<string, AttributeValue>();
  private readonly byDbid = new Map<number, AttributeValue>();
  readonly defaultValue?: AttributeValue;

  constructor(readonly values: readonly AttributeValue[]) {
    for (const value of values) {
      this.byName.set(value.name, value);
      this.byDbid.set(value.dbid, value);
    }
    this.defaultValue = values.find((value) => value.isDefault);
  }

  /** The entry `raw` designates: a name, else a DB id given as a number or a numeric string. */
  find(raw: unknown): AttributeValue | undefined {
    if (typeof raw === 'number') return this.byDbid.get(raw);
    if (typeof raw !== 'string') return undefined;
    return this.byName.get(raw) ?? (/^\d{1,15}$/.test(raw) ? this.byDbid.get(Number(raw)) : undefined);
  }

  /** The entry a stored DB id designates (a stored name is already what map-names would show). */
  findByDbid(raw: unknown): AttributeValue | undefined {
    if (typeof raw === 'number') return this.byDbid.get(raw);
    if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return this.byDbid.get(Number(raw));
    return undefined;
  }

  /** For error messages: `Name (dbid)` of every value, at most 20 of them. */
  describe(): string {
    const shown = this.values.slice(0, 20).map((value) => `${value.name} (${value.dbid})`);
    return this.values.length > 20 ? `${shown.join(', ')}, …` : shown.join(', ');
  }
}
