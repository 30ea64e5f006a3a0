package dev.slipway.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Test;

class SpecChangedTest {
  static PodDisruptionBudget pdb(long generation, int disruptionsAllowed, String deletedAt) {
    return new PodDisruptionBudgetBuilder().withNewMetadata().withName("shop-web").withGeneration(generation)
        .withDeletionTimestamp(deletedAt).endMetadata().withNewStatus().withDisruptionsAllowed(disruptionsAllowed)
        .endStatus().build();
  }

  @Test
  void aStatusUpdateDoesNotWakeTheWebApp() {
    assertThat(WebAppReconciler.specChanged(pdb(1, 1, null), pdb(1, 0, null))).isFalse();
  }

  @Test
  void aSpecEditOrADeletionDoes() {
    assertThat(WebAppReconciler.specChanged(pdb(2, 0, null), pdb(1, 0, null))).isTrue();
    assertThat(WebAppReconciler.specChanged(pdb(1, 0, "2026-11-26T00:00:00Z"), pdb(1, 0, null))).isTrue();
  }
}
