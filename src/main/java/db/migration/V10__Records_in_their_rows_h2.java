package db.migration;

import java.util.List;

import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.store.StoreSpecificMigration;

/**
 * H2 only: a canonical record (a TEXT column, which H2 stores as a CLOB) is about 1.2 KB, and H2 keeps a CLOB
 * longer than 256 characters apart from its row, in LOB maps of its own: writing one at dispatch cost a temporary
 * LOB, its copy into the table's and their references, and reading it back at delivery a stream. Kept in the row up
 * to 64 K characters, a record costs what the row's other columns do: measured on the bench's pipeline at 450
 * events/s, 3-9 % less CPU per event in three turns side by side (bench/RESULTS.md, 2026-12-02). Larger records
 * still go to the LOB maps; rows written before this keep theirs there. PostgreSQL has its own layout (V5).
 * (In fact H2 2.3 takes {@code TEXT} for CHARACTER VARYING, not CLOB: records were in their rows whatever their size
 * until V16 made the column a CLOB; the setting serves V13's raw bodies and V16's records.)
 */
public class V10__Records_in_their_rows_h2 extends StoreSpecificMigration {

    public V10__Records_in_their_rows_h2() {
        super(StoreKind::h2);
    }

    @Override
    protected List<String> statements() {
        return List.of("SET MAX_LENGTH_INPLACE_LOB 65536");
    }
}
