/** A label value as the request path holds it (an HTTP status stays a number until a scrape prints it). */
export type LabelValue = string | number;

type Node<C> = Map<LabelValue, Node<C> | C>;

/**
 * The cells of one metric, one per label set, found by nested map reads of the label values: the request path
 * builds no label string and no hash (prom-client's own `inc`/`observe` join the label values on every call).
 * Label sets are bounded by configuration (surfaces, statuses, traffic classes, routes, accounts).
 */
export class LabelledCells<C> {
  private readonly root: Node<C> = new Map();
  private readonly all: { values: readonly string[]; cell: C }[] = [];
  /** Cells by their printed label values; read only when a label set is first seen. */
  private readonly byText = new Map<string, C>();

  constructor(
    readonly labelNames: readonly string[],
    private readonly create: () => C,
  ) {}

  /** The cell of these label values (one per label name, in order), created on first use. */
  at(values: readonly LabelValue[]): C {
    if (values.length === 0) return this.unlabelled();
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      const value = values[i] as LabelValue;
      let next = node.get(value) as Node<C> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    const leaf = values[last] as LabelValue;
    let cell = node.get(leaf) as C | undefined;
    if (cell === undefined) {
      // 503 and '503' are one series to Prometheus: the second spelling shares the first one's cell.
      const printed = values.map(String);
      const text = printed.join('\u0000');
      cell = this.byText.get(text);
      if (cell === undefined) {
        cell = this.create();
        this.byText.set(text, cell);
        this.all.push({ values: printed, cell });
      }
      node.set(leaf, cell);
    }
    return cell;
  }

  private unlabelled(): C {
    let entry = this.all[0];
    if (entry === undefined) {
      entry = { values: [], cell: this.create() };
      this.all.push(entry);
    }
    return entry.cell;
  }

  /** Every cell with its label values, in creation order (for a scrape). */
  entries(): readonly { values: readonly string[]; cell: C }[] {
    return this.all;
  }

  /** The label object of one entry, as prom-client's text formatter takes it. */
  labels(values: readonly string[]): Record<string, string> {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, i) => {
      labels[name] = values[i] ?? '';
    });
    return labels;
  }
}
