/**
 * Preloaded (`--import`) into every service the launcher starts. Services run in their own
 * process group so a terminal's Ctrl-C reaches only the launcher, which then stops them in
 * order; if the launcher itself dies (SIGKILL, a crashed test worker) nothing would stop them,
 * so each one watches its launcher and shuts itself down gracefully when it is gone.
 */
const parent = Number(process.env['CHOREO_LAUNCHER_PID']);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

if (Number.isInteger(parent) && parent > 0) {
  const timer = setInterval(() => {
    if (alive(parent) && process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(`launcher pid ${parent} is gone; shutting down\n`);
    process.kill(process.pid, 'SIGTERM');
  }, 1_000);
  timer.unref();
}
