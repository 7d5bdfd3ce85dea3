import { Global, Module } from '@nestjs/common';
import { EstateService } from './estate.service';

@Global()
@Module({
  providers: [EstateService],
  exports: [EstateService],
})
export class EstateModule {}
