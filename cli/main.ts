// The mwlab command. Each subcommand lives in its own file and registers itself here.
// Only the module of the subcommand being run is loaded (all of them for --help), so a
// worker process (`serve`) starts without loading the charting or stress code.
import { Command } from 'commander'
import { describeFailure } from './call.ts'

type Register = (program: Command) => void

const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./serve.ts')).registerServe,
  call: async () => (await import('./call.ts')).registerCall,
  subscribe: async () => (await import('./call.ts')).registerCall,
  generate: async () => (await import('./generate.ts')).registerGenerate,
  sink: async () => (await import('./sink.ts')).registerSink,
  brokers: async () => (await import('./brokers.ts')).registerBrokers,
  stress: async () => (await import('./stress.ts')).registerStress,
  bench: async () => (await import('./bench.ts')).registerBench,
  speedup: async () => (await import('./speedup.ts')).registerSpeedup,
  autoscale: async () => (await import('./autoscale.ts')).registerAutoscale,
  report: async () => (await import('./report.ts')).registerReport,
  lab: async () => (await import('./lab.ts')).registerLab,
}

const program = new Command()
program
  .name('mwlab')
  .description('A lab for comparing middlewares on one review service: serve, call, stress, scale, report.')
  .version('0.1.0')
  // One line and a hint, not the whole usage: the error must stay visible.
  .showHelpAfterError('(run with --help for usage)')

try {
  const sub = process.argv[2]
  const names = sub && COMMANDS[sub] ? [sub] : Object.keys(COMMANDS)
  const registered = new Set<Register>()
  for (const name of names) {
    const register = await COMMANDS[name]()
    if (registered.has(register)) continue
    registered.add(register)
    register(program)
  }
  await program.parseAsync(process.argv)
} catch (err) {
  const { code, message } = describeFailure(err)
  process.stderr.write(message + '\n')
  process.exit(code)
}
