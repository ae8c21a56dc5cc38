// The palette's search: every word typed must appear in the item's label, type, category or
// description (case-insensitive), so "human appr" and "sticky" both find what they mean.

export interface Searchable {
  type: string;
  label: string;
  category: string;
  description: string;
}

export function matchesSearch(spec: Searchable, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${spec.label} ${spec.type} ${spec.category} ${spec.description}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}
