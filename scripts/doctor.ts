/**
 * `npm run doctor -- https://your-worker.example [--json] [--origin …] [--timeout …]`: checks a
 * running deployment from outside, as an MCP client would (scripts/lib/doctor.ts), and exits 0 when
 * a client can connect, 1 when it cannot, 2 on a usage error.
 */
import { doctorMain } from "./lib/doctor-cli";

process.exitCode = await doctorMain(process.argv.slice(2));
