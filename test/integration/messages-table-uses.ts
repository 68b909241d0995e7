/**
 * Finds where source code can query the `messages` table, by reading the syntax tree (so a
 * comment or a column reference is not a query): the drizzle table object used as a value
 * (`from(messages)`, `update(m)` after `import { messages as m }`, `schema.messages`, a
 * `${messages}` inside a sql template, `alias(messages, …)`), the relational API
 * (`db.query.messages`), a re-export of the table, or SQL text naming it (`from messages`,
 * `join messages`, `update messages`, `delete from messages`, `into messages`). Column references
 * such as `messages.teamId` are not uses: a query needs the table itself.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface TableUse {
  /** Repository-relative path. */
  file: string;
  line: number;
  what: string;
}

/** SQL text that names the table as something read or written. */
export const SQL_NAMING_MESSAGES =
  /\b(from|join|update|into|table|truncate)\s+(only\s+)?("?public"?\s*\.\s*)?"?messages"?(?![\w."])/i;

const isSchemaModule = (file: string, specifier: string, schemaDir: string) =>
  specifier.startsWith(".") &&
  (resolve(dirname(file), specifier) === schemaDir ||
    resolve(dirname(file), specifier).startsWith(`${schemaDir}${sep}`));

/**
 * Uses of the messages table in one file's source. `file` is its absolute path (imports are
 * resolved against it) and `schemaDir` the absolute path of db/schema.
 */
export function messagesTableUses(
  file: string,
  source: string,
  schemaDir: string,
  root = "/",
): TableUse[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const uses: TableUse[] = [];
  const add = (node: ts.Node, what: string) =>
    uses.push({
      file: relative(root, file),
      line: sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      what,
    });
  const tableNames = new Set<string>();
  const namespaces = new Set<string>();

  for (const statement of sourceFile.statements) {
    const from = statement as ts.ImportDeclaration | ts.ExportDeclaration;
    if (!from.moduleSpecifier || !ts.isStringLiteral(from.moduleSpecifier)) continue;
    if (!isSchemaModule(file, from.moduleSpecifier.text, schemaDir)) continue;
    if (ts.isImportDeclaration(statement)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          if ((element.propertyName ?? element.name).text === "messages") {
            tableNames.add(element.name.text);
          }
        }
      }
    } else if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      const named = clause && ts.isNamedExports(clause) ? clause.elements : undefined;
      if (!named || named.some((e) => (e.propertyName ?? e.name).text === "messages")) {
        add(statement, "re-exports the messages table");
      }
    }
  }

  /** `messages` (an imported binding) or `schema.messages` (a namespace import). */
  const isTable = (node: ts.Node): boolean =>
    (ts.isIdentifier(node) && tableNames.has(node.text)) ||
    (ts.isPropertyAccessExpression(node) &&
      node.name.text === "messages" &&
      ts.isIdentifier(node.expression) &&
      namespaces.has(node.expression.text));

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (isTable(node)) {
      const parent = node.parent;
      const columnOf = ts.isPropertyAccessExpression(parent) && parent.expression === node;
      const bindingItself =
        (ts.isImportSpecifier(parent) || ts.isNamespaceImport(parent)) && parent.name === node;
      if (!columnOf && !bindingItself) {
        add(node, `uses the messages table as a value: ${parent.getText(sourceFile).slice(0, 80)}`);
      }
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "messages" &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "query"
    ) {
      add(node, "relational query on messages");
    }
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (SQL_NAMING_MESSAGES.test(node.text))
        add(node, `SQL naming messages: ${node.text.trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return uses;
}

/** Every .ts file (tests excluded) under `dirs`, skipping `skip` (absolute paths). */
export function sourceFiles(dirs: string[], skip: string[] = []): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === "node_modules" || skip.includes(path)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith(".d.ts")) {
        files.push(path);
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return files.sort();
}

/** Uses of the messages table in every file, by repository-relative path. */
export function scanForMessagesTable(root: string, files: string[]): Map<string, TableUse[]> {
  const schemaDir = join(root, "db/schema");
  const byFile = new Map<string, TableUse[]>();
  for (const file of files) {
    const uses = messagesTableUses(file, readFileSync(file, "utf8"), schemaDir, root);
    if (uses.length > 0) byFile.set(relative(root, file), uses);
  }
  return byFile;
}
