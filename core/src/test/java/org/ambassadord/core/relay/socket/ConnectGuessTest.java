package org.ambassadord.core.relay.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When finishing a connect at once is tried: while it mostly works, and again after a pause. */
class ConnectGuessTest {

    @Test
    void keepsTryingWhileMostConnectsCompleteAtOnce() {
        ConnectGuess guess = new ConnectGuess();
        for (int i = 0; i < 1000; i++) {
            assertTrue(guess.worthTrying());
            guess.record(i % 4 != 0);
        }
    }

    @Test
    void pausesAfterAWindowOfMissesThenLooksAgain() {
        ConnectGuess guess = new ConnectGuess();
        for (int i = 0; i < 32; i++) {
            assertTrue(guess.worthTrying());
            guess.record(false);
        }
        for (int i = 0; i < 1024; i++) {
            assertFalse(guess.worthTrying(), "paused at connect " + i);
        }
        assertTrue(guess.worthTrying(), "tries again after the pause");
    }
}
