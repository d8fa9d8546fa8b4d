import { parseArgs } from 'node:util';

// The command-line shape the portal commands share (`npm run sync`, `npm run doctor`): `--portal <id>`, `--help`
// and one boolean flag of their own. Usage errors exit 64 (EX_USAGE) with the usage line.

export type PortalArgs = { portal?: number; flag: boolean };

/** The parsed arguments, or the exit code when the command should stop here (help, or a usage error). */
export function parsePortalArgs(usage: string, flag: string): PortalArgs | number {
  let values;
  try {
    values = parseArgs({
      options: {
        portal: { type: 'string' },
        [flag]: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 64;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const portal = values.portal as string | undefined;
  if (portal !== undefined && !/^\d{1,15}$/.test(portal)) {
    console.error(`--portal must be a numeric HubSpot account id, got "${portal}"\n${usage}`);
    return 64;
  }
  return { portal: portal === undefined ? undefined : Number(portal), flag: values[flag] === true };
}
