import type { Command } from 'commander';
import { configJsonSchema } from '@autofarm/core';

export function registerConfigSchema(program: Command): void {
  program
    .command('config-schema')
    .description('print the JSON Schema of configuration.yml (for editors and validators)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
}
