import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChildRepository } from '../children/child.repository';
import { StateEntity } from './state.entity';

/** SQL for states (the shared queries of children/child.repository). */
@Injectable()
export class StatesRepository extends ChildRepository<StateEntity> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, {
      entity: StateEntity,
      alias: 'st',
      idColumn: 'state_id',
      typeColumn: 'state_type',
      idOf: (row) => row.stateId,
    });
  }
}
