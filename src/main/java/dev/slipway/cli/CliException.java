package dev.slipway.cli;

/** A failure told to the user in one line, with the exit code it ends with. */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(String message) {
    super(message);
    this.exitCode = ExitCode.ERROR.code();
  }

  public int exitCode() {
    return exitCode;
  }
}
