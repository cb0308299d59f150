-- Residents' questions no Q&A entry answered become tickets of kind 'question' (issue #12): they
-- are in 待办, the ledgers, digests, reports and [sla] like every other kind. Each question keeps
-- its code (Q3 stays Q3), its words, asker, answer and times; the answer is the note of the
-- ticket's 'answer' history line (what 存为问答 reads). faq_questions goes.
INSERT INTO tickets (code, kind, category, priority, status, group_key, group_name, platform,
    chat_id, requester_id, requester_name, text, address, handler_name, created_at, updated_at)
SELECT 'Q' || id, 'question', 'policy', 'normal',
       CASE WHEN answer IS NULL THEN 'open' ELSE 'done' END,
       group_key, group_name, platform, chat_id, asker_id, asker_name, text, '',
       COALESCE(answered_by, ''), asked_at, COALESCE(answered_at, asked_at)
FROM faq_questions ORDER BY id;

INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action, from_status, to_status, note)
SELECT t.id, q.asked_at, q.asker_id, q.asker_name, 'create', NULL, 'open', ''
FROM faq_questions q JOIN tickets t ON t.code = 'Q' || q.id;

-- An answer given by an entry was marked with the entry's id; one in words of its own, saved as
-- an entry later, is found by that entry's id (FQ3) instead.
INSERT INTO ticket_events (ticket_id, at, actor_id, actor_name, action, from_status, to_status, note)
SELECT t.id, q.answered_at, '', COALESCE(q.answered_by, ''), 'answer', 'open', 'done',
       CASE WHEN q.faq_id IS NOT NULL AND q.faq_id != 'FQ' || q.id
            THEN '按问答库 ' || q.faq_id || '：' || q.answer ELSE q.answer END
FROM faq_questions q JOIN tickets t ON t.code = 'Q' || q.id
WHERE q.answer IS NOT NULL;

INSERT INTO ticket_seq (kind, last) SELECT 'question', MAX(id) FROM faq_questions WHERE id IS NOT NULL
    HAVING MAX(id) IS NOT NULL;

DROP TABLE faq_questions;

-- What retention blanks once answered (bot/store/sqlite/retention.py).
CREATE INDEX tickets_questions_to_purge ON tickets (created_at)
    WHERE kind = 'question' AND text != '' AND status IN ('done', 'rejected');
