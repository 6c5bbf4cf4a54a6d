package com.jodoerp.bridge.inbox;

import javax.sql.DataSource;

import com.jodoerp.bridge.store.StoreKind;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Camel's SQL idempotent repository, made safe for copies of one event arriving at the same moment.
 *
 * <p>The stock {@code add} counts, then inserts: two requests can both count zero, and the loser's insert
 * fails with a duplicate key, which PostgreSQL answers by aborting the whole transaction (a 500 to Jodo).
 * Here the insert itself decides: the database's primary key lets exactly one request win across every
 * instance, and the loser is told "duplicate". On PostgreSQL the insert says so itself ({@code ON CONFLICT DO
 * NOTHING} inserts no row, waiting first for a copy another transaction holds); elsewhere the loser's insert
 * fails inside a savepoint and rolls back to it only. PostgreSQL is spared the savepoint's two round trips per
 * webhook, and its server log an ERROR for every copy Jodo sends again.
 */
public class EventIdRepository extends JdbcMessageIdRepository {

    private final TransactionTemplate savepoint;
    private final boolean insertSaysDuplicate;

    public EventIdRepository(DataSource dataSource, PlatformTransactionManager transactions, String processorName,
            StoreKind store) {
        super(dataSource, new TransactionTemplate(transactions), processorName);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.insertSaysDuplicate = store == StoreKind.POSTGRESQL;
        setCreateTableIfNotExists(false);
        // Camel runs this at every start, whatever the setting above: against its default table, the query failed
        // each time, into H2's trace file or PostgreSQL's server log.
        setTableExistsString("SELECT 1 FROM jodo_event_id WHERE 1 = 0");
        setQueryString("SELECT COUNT(*) FROM jodo_event_id WHERE processor_name = ? AND message_id = ?");
        setInsertString("INSERT INTO jodo_event_id (processor_name, message_id, created_at) VALUES (?, ?, ?)"
                + (insertSaysDuplicate ? " ON CONFLICT (processor_name, message_id) DO NOTHING" : ""));
        setDeleteString("DELETE FROM jodo_event_id WHERE processor_name = ? AND message_id = ?");
        setClearString("DELETE FROM jodo_event_id WHERE processor_name = ?");
    }

    @Override
    public boolean add(String key) {
        if (insertSaysDuplicate) {
            return insert(key) == 1;
        }
        return Boolean.TRUE.equals(savepoint.execute(status -> {
            try {
                insert(key);
                return true;
            } catch (DuplicateKeyException alreadySeen) {
                status.setRollbackOnly();
                return false;
            }
        }));
    }
}
