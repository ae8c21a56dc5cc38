// What Django hands the app: templates/app.html renders
//   <div id="root" data-page="…" data-username="…" data-csrf="…">
// and a json_script element with id "page-props".

export type PageName = "canvas-list" | "canvas-editor";

export interface BootData {
  page: string;
  username: string;
  csrfToken: string;
  isStaff: boolean;
  props: Record<string, unknown>;
}

export function readPageProps(doc: Document, id = "page-props"): Record<string, unknown> {
  const element = doc.getElementById(id);
  if (!element?.textContent) return {};
  try {
    const parsed: unknown = JSON.parse(element.textContent);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function readBootData(root: HTMLElement, doc: Document = document): BootData {
  return {
    page: root.dataset.page ?? "",
    username: root.dataset.username ?? "",
    csrfToken: root.dataset.csrf ?? "",
    isStaff: root.dataset.staff === "true",
    props: readPageProps(doc),
  };
}

/** A string prop, or the fallback when it is missing or of another type. */
export function stringProp(props: Record<string, unknown>, key: string, fallback = ""): string {
  const value = props[key];
  return typeof value === "string" ? value : fallback;
}
