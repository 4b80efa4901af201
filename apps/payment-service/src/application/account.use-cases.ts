import { withTransaction, type Pool } from '@choreo/platform';
import { setBalance, type Account } from '@choreo/payment-domain';
import { lockOrCreateAccount, saveBalance } from '../persistence/account.repository';
import { appendLedgerEntry } from '../persistence/ledger.repository';

/** Admin PUT /accounts/:customerId: the new balance and the FUNDING entry explaining it, in one transaction. */
export function setAccountBalance(pool: Pool, input: Account): Promise<Account> {
  return withTransaction(pool, async (tx) => {
    const current = await lockOrCreateAccount(tx, input.customerId);
    const { account, entry } = setBalance(current, input);
    await saveBalance(tx, account);
    if (entry) await appendLedgerEntry(tx, entry);
    return account;
  });
}
