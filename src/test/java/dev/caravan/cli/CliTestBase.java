package dev.caravan.cli;

import dev.caravan.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Each CLI test gets its own database, home folder and CLI pointed at both. */
abstract class CliTestBase {
    @TempDir
    Path dir;

    TestDatabase db;
    CliRunner cli;

    @BeforeEach
    void setUpCli() {
        db = TestDatabase.create();
        cli = new CliRunner(db.environment(dir.resolve("home")));
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }
}
