/** Agents, their triggers, and AI tools (Xano's `tool` objects that agents and MCP servers call). */
import { scriptObjectTools } from "./script-objects";

const agents = { toolset: "agents" as const };

export const AGENT_TOOLS = [
  ...scriptObjectTools({
    ...agents, base: "agent", one: "agent", many: "agents", noun: "agent", keyword: "agent", area: "Agents",
    about: "AI agents with a model, instructions and tools",
  }),
  ...scriptObjectTools({
    ...agents, base: "agent.trigger", one: "agent_trigger", many: "agent_triggers", noun: "agent trigger", keyword: "agent_trigger", area: "Agents",
    about: "logic run on an agent's events",
  }),
  ...scriptObjectTools({
    ...agents, base: "tool", one: "ai_tool", many: "ai_tools", noun: "AI tool", keyword: "tool", area: "AI tools",
    about: "actions that agents and MCP servers can call",
  }),
];
