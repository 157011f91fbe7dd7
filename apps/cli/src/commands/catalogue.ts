import type { Command } from 'commander';
import { CliError, cliActor, type CliIo, EXIT } from '../io';
import { readInput, withStore } from '../session';

/** `tessera catalogue import <file>`: issuers, achievements and pathways from one YAML or JSON file. */
export function registerCatalogueCommands(program: Command, io: CliIo): void {
  program
    .command('catalogue')
    .description('the catalogue: issuers, micro-credentials and pathways')
    .command('import')
    .description(
      'define what is new, revise what changed, leave alone what did not (a second import of the same file appends nothing)',
    )
    .argument('<file>', 'a YAML or JSON file with the lists issuers, achievements and pathways')
    .option('--json', 'print one JSON line per item instead of text')
    .action(async (file: string, options: { json?: boolean }) => {
      const { importCatalogue, MalformedCatalogue, parseCatalogue, StreamCommands } = await import('@app/application');
      const text = await readInput(io, file);
      let items;
      try {
        items = parseCatalogue(file, text);
      } catch (error) {
        if (error instanceof MalformedCatalogue) throw new CliError(error.message);
        throw error;
      }
      await withStore(io, 'tessera catalogue import', async (storage) => {
        const results = await importCatalogue(new StreamCommands(storage.store), items, {
          actorSub: cliActor(),
          now: new Date().toISOString(),
          onItem: ({ item, outcome }) => {
            const what = `${item.section.replace(/s$/, '')} ${String(item.fields.id)}`;
            if (options.json)
              io.out(`${JSON.stringify({ section: item.section, id: item.fields.id, line: item.line, ...outcome })}\n`);
            else if (outcome.status === 'rejected')
              for (const reason of outcome.reasons)
                io.err(`${file}:${item.line}: ${item.section}[${item.index}] ${String(item.fields.id)}: ${reason}\n`);
            else
              io.out(
                `${outcome.status.padEnd(9)} ${what}${'version' in outcome && outcome.version ? ` (version ${outcome.version})` : ''}\n`,
              );
          },
        });
        const count = (status: string) => results.filter((result) => result.outcome.status === status).length;
        const summary = `${file}: ${results.length} items: ${count('defined')} defined, ${count('revised')} revised, ${count('unchanged')} unchanged, ${count('rejected')} rejected\n`;
        if (!options.json) io.out(summary);
        io.exitCode = count('rejected') > 0 ? EXIT.rejected : EXIT.ok;
      });
    });
}
