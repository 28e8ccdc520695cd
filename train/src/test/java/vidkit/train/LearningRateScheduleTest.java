package vidkit.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import vidkit.core.ScheduleConfig;

class LearningRateScheduleTest {
    @Test
    void schedulesFollowTheirRules() {
        var cos = new LearningRateSchedule(new ScheduleConfig(ScheduleConfig.Kind.COSINE, null, null, 0.0, 1), 1.0, 11);
        assertEquals(0.5, cos.rate(0), 1e-12);
        assertEquals(1.0, cos.rate(1), 1e-12);
        // decay over epochs 1..10: epoch 4 is k = 3/9, (1 + cos(pi/3)) / 2 = 0.75
        assertEquals(0.75, cos.rate(4), 1e-12);
        assertEquals(0.0, cos.rate(10), 1e-12);
        var plateau = new LearningRateSchedule(new ScheduleConfig(ScheduleConfig.Kind.PLATEAU, 0.5, 1, 0.1, null), 1.0, 10);
        plateau.observe(0.5);
        plateau.observe(0.4);
        assertEquals(1.0, plateau.rate(2));
        plateau.observe(0.4);
        assertEquals(0.5, plateau.rate(3));
        for (int i = 0; i < 10; i++) {
            plateau.observe(0);
        }
        assertEquals(0.1, plateau.rate(9), 1e-12);
    }

}
