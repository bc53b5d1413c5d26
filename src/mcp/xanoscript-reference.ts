/**
 * A short XanoScript reference, written for this server (not copied from Xano's docs): what each
 * object kind's script looks like, with one small example each, and the loop a model should follow.
 * Served by the tool xano_get_xanoscript_reference. Xano's full documentation is at docs.xano.com.
 */

export const XANOSCRIPT_KINDS = [
  "basics", "function", "query", "api_group", "table", "task", "middleware", "addon", "table_trigger", "workspace_trigger",
  "agent", "tool", "mcp_server", "realtime_channel", "workflow_test",
] as const;
export type XanoScriptKind = (typeof XANOSCRIPT_KINDS)[number];

export const XANOSCRIPT_REFERENCE: Record<XanoScriptKind, string> = {
  basics: `# XanoScript basics
Every object is one block: \`<kind> <name> { … }\`. The first word decides the kind and must match the tool
(xano_create_function takes \`function\`, xano_create_task takes \`task\`, …). Names with spaces or slashes are quoted.
- Inputs: \`input { int count  text title?  email contact filters=trim }\` (\`?\` = optional).
  Types: int, decimal, text, email, bool, timestamp, date, json, object { schema {…} }, enum { values = [...] }, file.
- Steps go in \`stack { … }\`, run in order. A step's result is kept with \`as $name\`.
- Variables: \`var $total { value = 0 }\`; change with \`var.update $total { value = $total + 1 }\`.
- Values: \`$input.field\`, \`$var.name\` or \`$name\`, \`$auth.id\`, \`$env.NAME\`; filters with a pipe: \`$input.title|trim|to_lower\`.
- Database: \`db.get book { field_name = "id", field_value = $input.id } as $book\`,
  \`db.query book { where = $db.book.year > 2000, return = {type: "list"} } as $books\`,
  \`db.add book { data = {title: $input.title} } as $new\`, \`db.edit\`, \`db.del\`.
- Other logic: \`function.run "name" { input = {a: 1} } as $result\`, \`conditional { if (…) { … } else { … } }\`,
  \`foreach ($list) { each as $item { … } }\`, \`precondition ($input.count > 0) { error = "count must be positive" }\`.
- The answer: \`response = $result\` (functions, endpoints, middleware, AI tools).
- Comments start with //. Braces, brackets and quotes must balance.
The loop: read the current code (include_xanoscript=true), change it, send it; if Xano refuses it, the error names the
line: fix that line and send again. publish=false keeps a change as a draft where Xano has drafts.`,

  function: `# function: reusable logic (xano_create_function, xano_update_function)
function discount_price {
  input {
    decimal price
    int percent
  }
  stack {
    var $result { value = $input.price * (100 - $input.percent) / 100 }
  }
  response = $result
}
Call it from other logic with \`function.run "discount_price" { input = {price: 10, percent: 5} } as $p\`.`,

  query: `# query: an API endpoint's code (xano_create_api, xano_update_api: the argument xanoscript)
The name is the path inside its API group, verb= one of GET POST PUT PATCH DELETE.
query "books/{book_id}" verb=GET {
  input {
    int book_id
  }
  stack {
    db.get book { field_name = "id", field_value = $input.book_id } as $book
    precondition ($book != null) { error_type = "notfound", error = "no such book" }
  }
  response = $book
}`,

  api_group: `# api_group: a group of endpoints (xano_update_api_group: the argument xanoscript)
api_group shop {
  canonical = "shop"
  swagger = {active: true}
}`,

  table: `# table: a table's schema and indexes (xano_update_table: the argument xanoscript)
Fields left out of a new script are removed with their data.
table book {
  schema {
    int id
    text title filters=trim
    int year?
    timestamp created_at?=now
  }
  index = [
    {type: "primary", field: [{name: "id"}]}
    {type: "btree", field: [{name: "year", op: "desc"}]}
  ]
}`,

  task: `# task: logic on a schedule (xano_create_task); freq is in seconds
task nightly_cleanup {
  stack {
    db.query session { where = $db.session.expired == true } as $old
  }
  schedule = [{starts_on: 2026-01-01 02:00:00+0000, freq: 86400}]
}`,

  middleware: `# middleware: logic around endpoints, functions or tasks (xano_create_middleware)
middleware require_header {
  input {
    json vars
    enum type { values = ["pre", "post"] }
  }
  stack {
    var $ok { value = true }
  }
  response = $input.vars
}`,

  addon: `# addon: a query that adds related data to results (xano_create_addon)
addon author_of_book {
  input {
    int author_id { dbtable = "author" }
  }
  stack {
    db.query author { where = $db.author.id == $input.author_id, return = {type: "single"} }
  }
}`,

  table_trigger: `# table_trigger: runs when a table's records change (xano_create_table_trigger)
table_trigger log_new_books {
  table = "book"
  input {
    json new
    json old
    enum action { values = ["insert", "update", "delete", "truncate"] }
    text datasource
  }
  stack {
    db.add audit { data = {what: $input.action} }
  }
  actions = {insert: true}
}`,

  workspace_trigger: `# workspace_trigger: runs on workspace events (xano_create_workspace_trigger)
workspace_trigger on_live {
  input {
    enum action { values = ["branch_live", "branch_merge", "branch_new"] }
  }
  stack {
    var $seen { value = $input.action }
  }
  actions = {branch_live: true}
}`,

  agent: `# agent: an AI agent (xano_create_agent)
agent helper {
  canonical = "helper"
  llm = {
    type: "anthropic"
    system_prompt: "Answer questions about books."
    model: "claude-sonnet-4"
    max_steps: 5
  }
}`,

  tool: `# tool: an action agents and MCP servers can call (xano_create_ai_tool)
tool count_books {
  input {
    int year
  }
  stack {
    db.query book { where = $db.book.year == $input.year, return = {type: "count"} } as $n
  }
  response = $n
}`,

  mcp_server: `# mcp_server: an MCP server built in Xano (xano_create_mcp_server)
mcp_server library {
  description = "Book tools"
  canonical = "library"
  tags = ["books"]
}`,

  realtime_channel: `# realtime_channel: a channel clients subscribe to (xano_create_realtime_channel)
realtime_channel lobby {
  public_messaging = {active: true}
  private_messaging = {active: false}
}`,

  workflow_test: `# workflow_test: a test of the workspace's logic (xano_create_workflow_test)
workflow_test discount_is_applied {
  stack {
    function.run "discount_price" { input = {price: 100, percent: 10} } as $p
    precondition ($p == 90) { error = "expected 90" }
  }
}`,
};
