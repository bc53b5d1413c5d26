// Every contract case, in report order: first those any Xano instance can run, then the demo seed's.
import type { ContractCase } from "../target";
import { anyInstanceCases } from "./any-instance";
import { assetCases } from "./assets";
import { contentCases } from "./content";
import { identityCases } from "./identity";
import { logicKindCases } from "./logic-kinds";
import { logicObjectCases } from "./logic-objects";
import { logicRunCases } from "./logic-runs";
import { oauthCases } from "./oauth";
import { tableCases } from "./tables";
import { workspaceCases } from "./workspace";

export const CONTRACT_CASES: readonly ContractCase[] = [
  ...anyInstanceCases,
  ...identityCases, ...oauthCases, ...tableCases, ...contentCases, ...workspaceCases, ...assetCases,
  ...logicKindCases, ...logicObjectCases, ...logicRunCases,
];
