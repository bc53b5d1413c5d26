/** How Connected apps shows a connection's tools and times, for apps and personal access tokens alike. */
import { COMMON_PATH, TOOLSET_LABELS, type ToolsetChoice } from "../mcp/tools/toolsets";

/**
 * "Everyday tools; Agents and AI tools, with their triggers", for a grant's choice (null: it made
 * none and lists the server's default). The two catalogue tools are in every choice.
 */
export function describeToolsets(choice: ToolsetChoice | null, serverDefault: ToolsetChoice): string {
  const names = (list: ToolsetChoice) =>
    list === undefined ? "Every tool" : list.length === 0 ? "Only the two catalogue tools (find and call any operation)" : list.map((n) => (n === COMMON_PATH ? "Everyday tools" : TOOLSET_LABELS[n])).join("; ");
  return choice === null ? `The server's default: ${names(serverDefault)}` : names(choice);
}

/** "2026-11-23 03:10 UTC": unambiguous without script or the viewer's time zone. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
