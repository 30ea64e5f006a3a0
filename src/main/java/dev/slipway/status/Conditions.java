package dev.slipway.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** kstatus-style conditions: lastTransitionTime moves only when status does. */
public final class Conditions {
  private Conditions() {}

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Returns `previous` with `type` set; other conditions are kept in place. */
  public static List<Condition> set(List<Condition> previous, String type, boolean status, String reason,
      String message, long generation, String now) {
    String statusText = status ? "True" : "False";
    String transition = find(previous, type)
        .filter(c -> statusText.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElse(now);
    Condition updated = new ConditionBuilder()
        .withType(type)
        .withStatus(statusText)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
    List<Condition> result = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : previous == null ? List.<Condition>of() : previous) {
      if (type.equals(c.getType())) {
        result.add(updated);
        replaced = true;
      } else {
        result.add(c);
      }
    }
    if (!replaced) {
      result.add(updated);
    }
    return result;
  }
}
