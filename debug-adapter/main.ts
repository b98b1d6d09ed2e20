// Standalone debug adapter entry (stdio, or --port for server mode). The DAP session itself lands
// with the debugger issue; until then this entry refuses to start rather than pretending to work.
process.stderr.write('hvlab debug adapter: not available in this build (the debugger issue adds it)\n');
process.exitCode = 1;
