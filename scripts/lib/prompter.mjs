/**
 * Questions on stdin, one answer per line. Lines are queued as they arrive, so answers piped in
 * ahead of the questions (scripts, tests) are never lost, and the end of input is an error rather
 * than a hang.
 */
import { createInterface } from "node:readline";

export class Prompter {
  constructor(input = process.stdin, output = process.stdout) {
    this.output = output;
    this.queue = [];
    this.waiting = null;
    this.closed = false;
    this.rl = createInterface({ input, terminal: false });
    this.rl.on("line", (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = null;
        resolve(line);
      } else this.queue.push(line);
    });
    this.rl.on("close", () => {
      this.closed = true;
      if (this.waiting) this.waiting(null);
    });
  }

  /** Asks; an empty answer means `fallback` (shown in brackets). */
  async ask(question, fallback = "") {
    this.output.write(`      ${question}${fallback ? ` [${fallback}]` : ""}: `);
    const line = await this.nextLine();
    if (line === null) throw new Error("the input ended before every question was answered (run with --yes and flags to answer without questions)");
    if (!process.stdin.isTTY) this.output.write(`${line}\n`);
    return line.trim() === "" ? fallback : line.trim();
  }

  async confirm(question, fallback = true) {
    for (;;) {
      const answer = (await this.ask(`${question} (y/n)`, fallback ? "y" : "n")).toLowerCase();
      if (["y", "yes"].includes(answer)) return true;
      if (["n", "no"].includes(answer)) return false;
      this.output.write("      Please answer y or n.\n");
    }
  }

  nextLine() {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  close() {
    this.rl.close();
  }
}
