package dev.slipway.gate;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Optional;

/**
 * A gate's success condition: a CEL expression over `result`, the query's value (e.g. `result < 0.01`).
 * Compiled once and type-checked to return a bool, so a wrong condition fails with a clear message
 * before any measurement is judged by it.
 */
public final class GateCondition {
  /** `result < 1` must work as people read it: int literals compare with the double result. */
  private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setOptions(OPTIONS)
      .addVar("result", SimpleType.DOUBLE)
      .setResultType(SimpleType.BOOL)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

  private final String expression;
  private final CelRuntime.Program program;

  private GateCondition(String expression, CelRuntime.Program program) {
    this.expression = expression;
    this.program = program;
  }

  /** @throws IllegalArgumentException with CEL's own explanation when the expression is not a bool over result */
  public static GateCondition compile(String expression) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return new GateCondition(expression, RUNTIME.createProgram(ast));
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("condition \"" + expression + "\" is not a CEL bool expression over "
          + "`result` (a double): " + e.getMessage(), e);
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("condition \"" + expression + "\" cannot be evaluated: " + e.getMessage(), e);
    }
  }

  /** Whether a measured value passes. */
  public boolean test(double result) {
    try {
      return (Boolean) program.eval(name -> "result".equals(name) ? Optional.of(result) : Optional.empty());
    } catch (CelEvaluationException e) {
      // e.g. a division by zero inside the expression: the measurement cannot pass.
      return false;
    }
  }

  @Override
  public String toString() {
    return expression;
  }
}
