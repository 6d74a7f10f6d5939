/**
 * A registry of pluggable parts with unique ids: what the backend plugin keeps
 * behind each extension point. Duplicate ids are refused so two modules can not
 * silently shadow each other.
 * @public
 */
export class ProviderRegistry<T extends { readonly id: string }> {
  private readonly items = new Map<string, T>();

  constructor(private readonly kind: string) {}

  add(...items: T[]): void {
    for (const item of items) {
      if (this.items.has(item.id)) {
        throw new Error(
          `A ${this.kind} with id '${item.id}' is already registered`,
        );
      }
      this.items.set(item.id, item);
    }
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  list(): T[] {
    return [...this.items.values()];
  }
}
