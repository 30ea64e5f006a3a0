package dev.slipway.testing;

/** The namespace a test class owns; deleted after the class. */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
