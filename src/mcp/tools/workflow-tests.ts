/** Workflow tests: XanoScript tests of a workspace's logic. */
import { scriptObjectTools } from "./script-objects";

export const WORKFLOW_TEST_TOOLS = scriptObjectTools({
  toolset: "tests", area: "Workflow tests", base: "workflow_test", one: "workflow_test", many: "workflow_tests", noun: "workflow test",
  keyword: "workflow_test", about: "tests that run logic and check its results",
});
