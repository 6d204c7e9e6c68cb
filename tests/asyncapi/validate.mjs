// Parses an AsyncAPI document with the official parser and prints what it found as one JSON object: whether it is
// valid, the names of its messages and every diagnostic. Exits 1 when the parser reports an error.
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";

const { document, diagnostics } = await new Parser().parse(readFileSync(process.argv[2], "utf8"));
const ERROR = 0;
const errors = diagnostics.filter((d) => d.severity === ERROR);
console.log(
  JSON.stringify({
    valid: document !== undefined && errors.length === 0,
    messages: document ? document.allMessages().all().map((m) => m.name()) : [],
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path.join("/") })),
  }),
);
process.exit(errors.length ? 1 : 0);
