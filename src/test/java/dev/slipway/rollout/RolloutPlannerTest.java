package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.desired.Component;
import dev.slipway.desired.Specs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {
  static final List<Component> COMPONENTS = Component.of(Specs.djangoCelery());
  static final List<String> NAMES = List.of("celery", "web", "scheduler");

  static DeploymentState done(String revision, int replicas) {
    return new DeploymentState(revision, true, replicas, replicas, replicas, replicas, replicas, false, null, null);
  }

  static DeploymentState rolling(String revision, int replicas) {
    return new DeploymentState(revision, true, replicas, replicas + 1, 1, replicas, replicas, false, null, null);
  }

  static DeploymentState stuck(String revision) {
    return new DeploymentState(revision, true, 2, 3, 1, 2, 2, true,
        "ReplicaSet \"shop-web-abc\" has timed out progressing.", null);
  }

  static Map<String, DeploymentState> allAt(String revision) {
    Map<String, DeploymentState> m = new HashMap<>();
    NAMES.forEach(n -> m.put(n, done(revision, 2)));
    return m;
  }

  static Plan plan(String stable, String rejected, boolean paused, Map<String, DeploymentState> world, JobState job) {
    return RolloutPlanner.plan(new RolloutPlanner.Input("new", stable, rejected, paused, true, COMPONENTS,
        stable == null ? null : NAMES, new Observed(world, job)));
  }

  @Test
  void firstTheMigrationRunsAndNothingElseChanges() {
    Plan p = plan("old", null, false, allAt("old"), null);
    assertThat(p.stage()).isEqualTo(Stage.Migrating);
    assertThat(p.createMigrateJob()).isTrue();
    assertThat(p.apply()).isEmpty();
    assertThat(p.snapshotDesired()).isTrue();

    Plan running = plan("old", null, false, allAt("old"), JobState.RUNNING);
    assertThat(running.stage()).isEqualTo(Stage.Migrating);
    assertThat(running.createMigrateJob()).isFalse();
    assertThat(running.apply()).isEmpty();
  }

  @Test
  void aFailedMigrationRejectsTheRevision() {
    Plan p = plan("old", null, false, allAt("old"), new JobState(false, true, "Job shop-migrate-new failed"));
    assertThat(p.reject()).isNotNull();
    assertThat(p.reject().reason()).isEqualTo("MigrationFailed");
    assertThat(p.reject().message()).contains("Job shop-migrate-new failed");
    assertThat(p.apply()).isEmpty();
  }

  @Test
  void workersThenWebThenSchedulerThenPromotion() {
    JobState migrated = new JobState(true, false, null);
    Map<String, DeploymentState> world = allAt("old");

    Plan workers = plan("old", null, false, world, migrated);
    assertThat(workers.stage()).isEqualTo(Stage.Workers);
    assertThat(workers.apply()).containsExactly("celery");

    world.put("celery", rolling("new", 2));
    assertThat(plan("old", null, false, world, migrated).stage()).isEqualTo(Stage.Workers);

    world.put("celery", done("new", 2));
    Plan web = plan("old", null, false, world, migrated);
    assertThat(web.stage()).isEqualTo(Stage.Web);
    assertThat(web.apply()).containsExactly("celery", "web");

    world.put("web", done("new", 2));
    Plan scheduler = plan("old", null, false, world, migrated);
    assertThat(scheduler.stage()).isEqualTo(Stage.Scheduler);
    assertThat(scheduler.apply()).containsExactly("celery", "web", "scheduler");
    assertThat(scheduler.promote()).isFalse();

    world.put("scheduler", done("new", 1));
    Plan promoted = plan("old", null, false, world, migrated);
    assertThat(promoted.promote()).isTrue();
    assertThat(promoted.stage()).isEqualTo(Stage.Stable);
    assertThat(promoted.removeOthers()).isTrue();
  }

  @Test
  void aComponentPastItsDeadlineRejectsTheRevision() {
    Map<String, DeploymentState> world = allAt("old");
    world.put("celery", done("new", 2));
    world.put("web", stuck("new"));
    Plan p = plan("old", null, false, world, new JobState(true, false, null));
    assertThat(p.reject().reason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(p.reject().message()).contains("component web").contains("timed out");
  }

  @Test
  void aRejectedRevisionRollsEveryComponentBackAtOnce() {
    Map<String, DeploymentState> world = allAt("old");
    world.put("celery", done("new", 2));
    world.put("web", stuck("new"));
    Plan p = plan("old", "new", false, world, null);
    assertThat(p.stage()).isEqualTo(Stage.RolledBack);
    assertThat(p.target()).isEqualTo("old");
    assertThat(p.targetFromSnapshot()).isTrue();
    assertThat(p.apply()).containsExactlyElementsOf(NAMES);
    assertThat(p.createMigrateJob()).isFalse();
    assertThat(p.waitingOn()).isEqualTo("celery, web");
  }

  @Test
  void podsTheClusterRefusesAreNamedWithTheReason() {
    Map<String, DeploymentState> world = allAt("old");
    world.put("celery", new DeploymentState("new", true, 2, 0, 0, 0, 0, false, null,
        "pods \"shop-celery-1\" is forbidden: exceeded quota"));
    Plan p = plan("old", null, false, world, new JobState(true, false, null));
    assertThat(p.waitingOn()).isEqualTo("celery (pods \"shop-celery-1\" is forbidden: exceeded quota)");
  }

  @Test
  void aRejectedFirstRevisionHasNothingToGoBackTo() {
    Plan p = plan(null, "new", false, new HashMap<>(), null);
    assertThat(p.stage()).isEqualTo(Stage.RolledBack);
    assertThat(p.target()).isNull();
    assertThat(p.apply()).isEmpty();
  }

  @Test
  void pausedStopsBeforeTheNextStage() {
    Map<String, DeploymentState> world = allAt("old");
    world.put("celery", done("new", 2));
    Plan p = plan("old", null, true, world, new JobState(true, false, null));
    assertThat(p.stage()).isEqualTo(Stage.Paused);
    assertThat(p.apply()).containsExactly("celery");
    assertThat(plan("old", null, true, allAt("old"), null).createMigrateJob()).isFalse();
  }

  @Test
  void steadyStateKeepsEverythingApplied() {
    Plan p = RolloutPlanner.plan(new RolloutPlanner.Input("new", "new", null, false, true, COMPONENTS, NAMES,
        new Observed(allAt("new"), null)));
    assertThat(p.stage()).isEqualTo(Stage.Stable);
    assertThat(p.apply()).containsExactlyElementsOf(NAMES);
    assertThat(p.waitingOn()).isNull();
    assertThat(p.promote()).isFalse();
  }
}
