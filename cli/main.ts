// The mwlab command. Each subcommand lives in its own file and registers itself here.
import { Command } from 'commander'
import { registerBrokers } from './brokers.ts'
import { describeFailure, registerCall } from './call.ts'
import { registerServe } from './serve.ts'
import { registerSpeedup } from './speedup.ts'
import { registerAutoscale } from './autoscale.ts'
import { registerReport } from './report.ts'
import { registerLab } from './lab.ts'
import { registerGenerate } from './generate.ts'
import { registerSink } from './sink.ts'
import { registerStress } from './stress.ts'
import { registerBench } from './bench.ts'

const program = new Command()
program
  .name('mwlab')
  .description('A lab for comparing middlewares on one review service: serve, call, stress, scale, report.')
  .version('0.1.0')
  .showHelpAfterError()

registerServe(program)
registerCall(program)
registerSpeedup(program)
registerAutoscale(program)
registerReport(program)
registerLab(program)
registerBrokers(program)
registerGenerate(program)
registerSink(program)
registerStress(program)
registerBench(program)

try {
  await program.parseAsync(process.argv)
} catch (err) {
  const { code, message } = describeFailure(err)
  process.stderr.write(message + '\n')
  process.exit(code)
}
