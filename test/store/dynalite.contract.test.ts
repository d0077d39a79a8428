import { describeStoreContract } from '../../src/store/contract';
import { startTestStore } from '../helpers/dynalite';

describeStoreContract('DynamoDB store on dynalite', async () => (await startTestStore()).store);
