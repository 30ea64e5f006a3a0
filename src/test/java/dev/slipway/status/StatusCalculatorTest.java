package dev.slipway.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.rollout.Plan;
import dev.slipway.rollout.Stage;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCalculatorTest {
  static Plan stage(Stage stage, String waiting) {
    return new Plan("r1", stage, List.of(), false, false, false, false, false, null, waiting);
  }

  static final Plan PROMOTE = new Plan("r1", Stage.Stable, List.of("web"), false, true, false, true, true, null, null);

  static WebAppStatus compute(WebAppStatus previous, long generation, String desired, Plan plan,
      Plan.Rejection rejection, String now) {
    return StatusCalculator.compute(new StatusCalculator.Input(previous, generation, desired, "img:" + desired, plan,
        rejection, null, null, null, List.of(), now));
  }

  static Condition condition(WebAppStatus s, String type) {
    return Conditions.find(s.conditions, type).orElseThrow();
  }

  @Test
  void firstReconcileReportsProgressWithAnIntegerGeneration() {
    WebAppStatus s = compute(null, 1, "r1", stage(Stage.Migrating, "migration"), null, "t1");
    assertThat(s.observedGeneration).isEqualTo(1L);
    assertThat(s.phase).isEqualTo("Progressing");
    assertThat(condition(s, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Reconciling").getReason()).isEqualTo("Migrating");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Stalled").getStatus()).isEqualTo("False");
    assertThat(s.history).singleElement().satisfies(r -> {
      assertThat(r.revision).isEqualTo("r1");
      assertThat(r.outcome).isEqualTo("Progressing");
    });
  }

  @Test
  void promotionMakesItReadyAndMovesTheStableRevision() {
    WebAppStatus progressing = compute(null, 1, "r1", stage(Stage.Web, "web"), null, "t1");
    WebAppStatus s = compute(progressing, 1, "r1", PROMOTE, null, "t2");
    assertThat(s.phase).isEqualTo("Healthy");
    assertThat(s.stableRevision).isEqualTo("r1");
    assertThat(s.rollout).isNull();
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getLastTransitionTime()).isEqualTo("t2");
    assertThat(condition(s, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(s.history.get(0).outcome).isEqualTo("Promoted");
  }

  @Test
  void lastTransitionTimeMovesOnlyWithStatus() {
    WebAppStatus a = compute(null, 1, "r1", stage(Stage.Workers, "celery"), null, "t1");
    WebAppStatus b = compute(a, 1, "r1", stage(Stage.Web, "web"), null, "t2");
    assertThat(condition(b, "Reconciling").getLastTransitionTime()).isEqualTo("t1");
    assertThat(condition(b, "Reconciling").getReason()).isEqualTo("RollingOutWeb");
    assertThat(b.rollout.startedAt).isEqualTo("t1");
    assertThat(b.rollout.stageStartedAt).isEqualTo("t2");
  }

  @Test
  void rejectionStallsWithTheReasonAndKeepsIt() {
    WebAppStatus healthy = compute(compute(null, 1, "r1", stage(Stage.Web, "web"), null, "t1"), 1, "r1", PROMOTE,
        null, "t2");
    WebAppStatus rejected = compute(healthy, 2, "r2", stage(Stage.RolledBack, "web"),
        new Plan.Rejection("ProgressDeadlineExceeded", "component web made no progress"), "t3");
    assertThat(rejected.phase).isEqualTo("Degraded");
    assertThat(rejected.desiredRevisionRejected).isTrue();
    assertThat(rejected.rejectedRevision).isEqualTo("r2");
    assertThat(rejected.stableRevision).isEqualTo("r1");
    assertThat(condition(rejected, "Stalled").getStatus()).isEqualTo("True");
    assertThat(condition(rejected, "Stalled").getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(rejected.message).contains("component web").contains("rolling back to stable revision r1");
    assertThat(rejected.history.get(0).outcome).isEqualTo("Rejected");

    WebAppStatus later = compute(rejected, 2, "r2", stage(Stage.RolledBack, null), null, "t4");
    assertThat(condition(later, "Stalled").getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(condition(later, "Stalled").getLastTransitionTime()).isEqualTo("t3");
    assertThat(later.message).contains("running stable revision r1");
  }

  @Test
  void historyKeepsTheLastTen() {
    WebAppStatus s = null;
    for (int i = 0; i < 15; i++) {
      s = compute(s, i, "r" + i, stage(Stage.Web, "web"), null, "t" + i);
    }
    assertThat(s.history).hasSize(10);
    assertThat(s.history.get(0).revision).isEqualTo("r14");
    assertThat(s.history.get(1).outcome).isEqualTo("Superseded");
  }

  @Test
  void sameDetectsUnchangedStatus() {
    WebAppStatus a = compute(null, 1, "r1", stage(Stage.Web, "web"), null, "t1");
    WebAppStatus b = compute(a, 1, "r1", stage(Stage.Web, "web"), null, "t2");
    assertThat(StatusCalculator.same(a, b)).isTrue();
  }
}
